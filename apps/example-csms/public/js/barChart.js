// Small horizontal SVG bar chart (no library), e.g. CALLERRORs by code.
const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, text) => {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
};

/**
 * @param {HTMLElement} container
 * @param {{ bars: Array<{ label: string, value: number }>, width?: number, empty?: string, testid?: string }} spec
 */
export function barChart(container, spec) {
  const width = spec.width ?? 420;
  const row = 20;
  const bars = spec.bars.slice(0, 8);
  const height = Math.max(60, bars.length * row + 10);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  if (spec.testid) root.setAttribute('data-testid', spec.testid);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelW = 170;
  bars.forEach((b, i) => {
    const top = 5 + i * row;
    const w = ((width - labelW - 50) * b.value) / max;
    root.append(svg('text', { x: labelW - 6, y: top + 13, 'text-anchor': 'end', class: 'tick' }, b.label));
    root.append(svg('rect', { x: labelW, y: top + 3, width: Math.max(1, w), height: row - 6, rx: 2, class: 'bar' }));
    root.append(svg('text', { x: labelW + w + 4, y: top + 13, class: 'tick' }, String(b.value)));
  });
  if (bars.length === 0) root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' }, spec.empty ?? 'none'));
  container.replaceChildren(root);
}
