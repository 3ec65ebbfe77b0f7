// A live power chart (kW over time) for one transaction, with the energy delivered so far.
import { api } from './api.js';
import { chargerHref, el, kwh, time } from './dom.js';
import { lineChart } from './svgChart.js';

/** Creates the card of a transaction; `refresh()` reloads its points (called on transaction events). */
export function powerCard(tx, { onStop, onClose } = {}) {
  const chart = el('div', { class: 'chart-box' });
  const energy = el('strong', { dataset: { testid: `energy-${tx.id}` } }, kwh(tx.energyWh));
  const stop = onStop
    ? el('button', { class: 'stop', type: 'button', dataset: { testid: `stop-${tx.id}` }, onclick: () => onStop(tx) }, 'Stop')
    : '';
  // Force-close: for a transaction the charger will never end (it rebooted, or is gone for good).
  const close = onClose
    ? el('button', { class: 'close-tx', type: 'button', title: 'Close it in the CSMS without asking the charger', dataset: { testid: `close-${tx.id}` }, onclick: () => onClose(tx) }, 'Close')
    : '';
  const card = el(
    'article',
    { class: 'card tx', dataset: { testid: `live-tx-${tx.id}`, charger: tx.chargerId } },
    el(
      'header',
      {},
      el('span', {}, `#${tx.id} · `, el('a', { href: chargerHref(tx.chargerId) }, tx.chargerId), ` · connector ${tx.connectorId} · ${tx.idTag ?? '—'}`),
      el('span', { class: 'actions' }, stop, close),
    ),
    el('p', { class: 'muted' }, `started ${time(tx.startedAt)} · energy so far `, energy),
    chart,
  );
  const refresh = async () => {
    const power = await api('GET', `/transactions/${tx.id}/power`);
    energy.textContent = kwh(power.energyWh);
    lineChart(chart, {
      testid: `power-chart-${tx.id}`,
      unit: 'kW',
      height: 130,
      series: [{ name: 'power', points: power.points.map((p) => ({ t: Date.parse(p.at), y: p.kW })) }],
    });
  };
  void refresh().catch(() => {});
  return { card, refresh };
}
