// DOM helpers shared by the dashboard pages.
export const $ = (id) => document.getElementById(id);

/** Creates an element: `props` are attributes, `dataset`, or `on<event>` listeners. */
export const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
};

export const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
export const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '—');
export const kwh = (wh) => `${(wh / 1000).toFixed(3)} kWh`;
export const chargerHref = (id) => `/charger?id=${encodeURIComponent(id)}`;

let toastTimer;
/** A short message at the bottom right (errors in red). */
export function toast(message, isError = false) {
  const box = $('toast');
  box.textContent = message;
  box.className = `show${isError ? ' error' : ''}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.className = ''), 5000);
}

/** Runs `fn` for a button click with the button disabled meanwhile; errors become a red toast. */
export async function busy(button, fn) {
  button.disabled = true;
  try {
    await fn();
  } catch (err) {
    toast(err.message, true);
  } finally {
    button.disabled = false;
  }
}
