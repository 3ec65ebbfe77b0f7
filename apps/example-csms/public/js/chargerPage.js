// Charger page: connectors and their states, live transactions with power charts, commands, and the live
// OCPP message log of this charger.
import { api, logout } from './api.js';
import { commandsPanel } from './commandsPanel.js';
import { $, el, time, toast } from './dom.js';
import { DOMAIN_EVENTS, listen } from './liveEvents.js';
import { messageLog } from './messageLog.js';
import { transactionCards } from './transactionCards.js';

const id = new URLSearchParams(location.search).get('id') ?? '';
$('charger-id').textContent = id;
document.title = `${id} · chargewire example CSMS`;

let charger;
const live = transactionCards($('live-transactions'));
const log = messageLog($('log-body'));
const commands = commandsPanel($('commands'), id, { idTag: 'DEMO-TAG-1', activeTransactions: () => charger?.activeTransactions ?? [] });

function render() {
  const summary = $('charger-summary');
  summary.dataset.connected = String(charger.connected);
  summary.replaceChildren(
    el('span', { class: `dot${charger.connected ? ' on' : ''}` }),
    charger.connected ? `connected over ${charger.protocol} to ${charger.nodeId}` : 'offline',
    ` · ${charger.registrationStatus}`,
    charger.vendor ? ` · ${charger.vendor} ${charger.model ?? ''}` : '',
    charger.firmwareVersion ? ` · firmware ${charger.firmwareVersion}` : '',
    ` · last heartbeat ${time(charger.lastHeartbeatAt)}`,
  );
  $('connectors').replaceChildren(
    ...(charger.connectors.length
      ? charger.connectors.map((k) =>
          el(
            'div',
            { class: `connector card ${k.status}`, dataset: { testid: `connector-${k.connectorId}` } },
            el('strong', {}, k.connectorId === 0 ? 'Charger' : `Connector ${k.connectorId}`),
            el('span', { class: `badge ${k.status}` }, k.status),
            k.errorCode && k.errorCode !== 'NoError' ? el('span', { class: 'error' }, k.errorCode) : '',
            el('span', { class: 'muted small' }, `since ${time(k.statusAt)}`),
          ),
        )
      : [el('p', { class: 'muted' }, 'No connector status reported yet.')]),
  );
  live.render(charger.activeTransactions);
  commands.update(charger.connected);
}

let refreshing;
async function refresh() {
  refreshing ??= (async () => {
    try {
      charger = await api('GET', `/chargers/${encodeURIComponent(id)}`);
      render();
    } catch (err) {
      $('charger-summary').textContent = err.message;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

async function loadLog() {
  const { items } = await api('GET', `/chargers/${encodeURIComponent(id)}/messages`);
  log.clear();
  for (const entry of items) log.put(entry);
}

const mine = (event) => (event.chargerId ?? event.connector?.chargerId ?? event.transaction?.chargerId) === id;
const handlers = Object.fromEntries(DOMAIN_EVENTS.map((type) => [type, (event) => mine(event) && void refresh()]));
handlers['transaction.updated'] = (event) => {
  if (!mine(event)) return;
  live.update(event.transaction.id);
  void refresh();
};
handlers.message = (entry) => log.put(entry);
listen({ chargerId: id, handlers, onOpen: () => void Promise.all([refresh(), loadLog()]).catch((err) => toast(err.message, true)) });
$('logout').addEventListener('click', () => void logout());
