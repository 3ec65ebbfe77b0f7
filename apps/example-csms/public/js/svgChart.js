// Small SVG line chart (no library): time on x, numbers on y, one path per series, a legend with each
// series' latest value. Charts are redrawn whole on every update; they hold at most a few hundred points.
const NS = 'http://www.w3.org/2000/svg';
export const PALETTE = ['#1f6fb2', '#2e8b57', '#c0392b', '#8e44ad', '#d35400', '#16a085'];

const svg = (tag, attrs = {}, text) => {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
};

/** A "nice" upper bound for the y axis (1, 2, 5 × 10^n). */
function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const compact = (n) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/**
 * Draws into `container` (replacing what was there).
 * @param {HTMLElement} container
 * @param {{ series: Array<{ name: string, points: Array<{ t: number, y: number }>, color?: string }>,
 *           unit?: string, width?: number, height?: number, step?: boolean, integer?: boolean, testid?: string }} spec
 */
export function lineChart(container, spec) {
  const width = spec.width ?? 420;
  const height = spec.height ?? 150;
  const pad = { left: 40, right: 10, top: 18, bottom: 22 };
  const all = spec.series.flatMap((s) => s.points);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': spec.series.map((s) => s.name).join(', ') });
  if (spec.testid) root.setAttribute('data-testid', spec.testid);
  root.setAttribute('data-points', String(all.length));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const t0 = all.length ? Math.min(...all.map((p) => p.t)) : Date.now() - 60_000;
  const t1 = all.length ? Math.max(...all.map((p) => p.t), t0 + 1000) : Date.now();
  // Counts (connections) get whole-number ticks: at least 4 so the 4 grid steps stay integers.
  const yMax = spec.integer ? Math.max(4, 4 * Math.ceil(Math.max(0, ...all.map((p) => p.y)) / 4)) : niceMax(Math.max(0, ...all.map((p) => p.y)));
  const x = (t) => pad.left + ((t - t0) / (t1 - t0)) * plotW;
  const y = (v) => pad.top + plotH - (v / yMax) * plotH;

  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: pad.left - 4, y: y(v) + 3, 'text-anchor': 'end', class: 'tick' }, spec.integer ? String(v) : compact(v)));
  }
  root.append(svg('text', { x: pad.left, y: height - 6, class: 'tick' }, clock(t0)));
  root.append(svg('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'tick' }, clock(t1)));
  if (spec.unit) root.append(svg('text', { x: pad.left - 4, y: 9, 'text-anchor': 'end', class: 'tick unit' }, spec.unit));

  spec.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const color = s.color ?? PALETTE[i % PALETTE.length];
    let d = '';
    s.points.forEach((p, j) => {
      if (j === 0) d += `M${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`;
      else if (spec.step) d += `H${x(p.t).toFixed(1)}V${y(p.y).toFixed(1)}`;
      else d += `L${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`;
    });
    root.append(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round', class: 'series' }));
    const last = s.points[s.points.length - 1];
    root.append(svg('circle', { cx: x(last.t), cy: y(last.y), r: 3, fill: color }));
  });

  const legend = document.createElement('div');
  legend.className = 'legend';
  spec.series.forEach((s, i) => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = `swatch c${i % PALETTE.length}`;
    const last = s.points[s.points.length - 1];
    item.append(swatch, `${s.name}${last ? `: ${spec.integer ? last.y : compact(last.y)}${spec.unit ? ` ${spec.unit}` : ''}` : ''}`);
    legend.append(item);
  });
  if (all.length === 0) root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' }, 'no data yet'));
  container.replaceChildren(root, legend);
}
