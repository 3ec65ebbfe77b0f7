// Server statistics (`server.stats()` sampled by the CSMS every 2 s) as small live charts, and the latest
// charger connects/disconnects.
import { api } from './api.js';
import { barChart } from './barChart.js';
import { $, chargerHref, clock, el } from './dom.js';
import { lineChart } from './svgChart.js';

const series = (history, name, pick) => ({ name, points: history.map((s) => ({ t: Date.parse(s.at), y: pick(s) })) });

function render({ current, history, connections }) {
  const protocols = [...new Set([...history.flatMap((s) => Object.keys(s.connections)), ...Object.keys(current.connections.byProtocol)])].sort();
  lineChart($('chart-connections'), {
    testid: 'chart-connections',
    step: true,
    integer: true,
    series: protocols.length
      ? protocols.map((p) => series(history, p, (s) => s.connections[p] ?? 0))
      : [series(history, 'connected', () => 0)],
  });
  lineChart($('chart-calls'), {
    testid: 'chart-calls',
    unit: '/s',
    series: [series(history, 'calls', (s) => s.callsPerS), series(history, 'CALLERRORs', (s) => s.errorsPerS)],
  });
  lineChart($('chart-latency'), {
    testid: 'chart-latency',
    unit: 'ms',
    series: [series(history, 'p50', (s) => s.latencyInMs.p50), series(history, 'p90', (s) => s.latencyInMs.p90), series(history, 'p99', (s) => s.latencyInMs.p99)],
  });
  barChart($('chart-errors'), {
    testid: 'chart-errors',
    empty: 'no CALLERROR yet',
    bars: Object.entries(current.errors).map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value),
  });
  const list = $('connection-history');
  list.replaceChildren(
    ...connections
      .slice(-12)
      .reverse()
      .map((c) =>
        el(
          'li',
          { class: c.kind, dataset: { testid: `history-${c.chargerId}` } },
          el('span', { class: 'muted' }, clock(c.at)),
          ' ',
          el('a', { href: chargerHref(c.chargerId) }, c.chargerId),
          c.kind === 'connected' ? ` connected (${c.protocol})` : ` disconnected (code ${c.code})`,
        ),
      ),
  );
  if (connections.length === 0) list.append(el('li', { class: 'muted' }, 'No connection yet.'));
}

/** Polls /api/v1/stats every `intervalMs` and redraws. */
export function startStatsPanel(intervalMs = 2000) {
  const tick = async () => {
    try {
      render(await api('GET', '/stats'));
    } catch {
      // The next tick tries again; a 401 already sent the browser to the login page.
    }
  };
  void tick();
  setInterval(tick, intervalMs);
}
