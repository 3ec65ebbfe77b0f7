// The OCPP message log of one charger: one row per CALL (direction, action, latency, outcome), updated
// in place when its CALLRESULT or CALLERROR arrives; CALLERRORs are highlighted.
import { clock, el } from './dom.js';

const MAX_ROWS = 200;

export function messageLog(body) {
  const rows = new Map();
  const row = (entry) =>
    el(
      'tr',
      { class: `log-${entry.outcome}`, dataset: { testid: `log-${entry.seq}`, direction: entry.direction, outcome: entry.outcome } },
      el('td', {}, clock(entry.at)),
      el('td', { title: entry.direction === 'in' ? 'charger → CSMS' : 'CSMS → charger' }, entry.direction === 'in' ? '⇠ in' : '⇢ out'),
      el('td', {}, entry.action),
      el('td', {}, entry.latencyMs === undefined ? '…' : `${entry.latencyMs} ms`),
      el('td', {}, entry.outcome === 'error' ? `CALLERROR ${entry.errorCode}` : entry.outcome === 'result' ? 'CALLRESULT' : 'waiting'),
    );
  return {
    /** Adds or updates one entry (newest on top). */
    put(entry) {
      const next = row(entry);
      const existing = rows.get(entry.seq);
      if (existing) existing.replaceWith(next);
      else body.prepend(next);
      rows.set(entry.seq, next);
      while (rows.size > MAX_ROWS) {
        const oldest = Math.min(...rows.keys());
        rows.get(oldest).remove();
        rows.delete(oldest);
      }
      body.dataset.count = String(rows.size);
    },
    clear() {
      rows.clear();
      body.replaceChildren();
    },
  };
}
