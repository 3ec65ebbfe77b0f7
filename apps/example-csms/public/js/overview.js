// Overview page: live transactions with power charts, chargers, server statistics, recent transactions.
import { api, logout } from './api.js';
import { $, busy, chargerHref, el, kwh, time, toast } from './dom.js';
import { DOMAIN_EVENTS, listen } from './liveEvents.js';
import { startStatsPanel } from './statsPanel.js';
import { transactionCards } from './transactionCards.js';

const DEMO_ID_TAG = 'DEMO-TAG-1';

// Forms are created once per charger so that a refresh does not wipe what the user is typing.
const startForms = new Map();
function startForm(charger) {
  let form = startForms.get(charger.id);
  if (!form) {
    form = el(
      'form',
      { class: 'inline', dataset: { testid: `start-form-${charger.id}` } },
      el('input', { name: 'connectorId', type: 'number', min: 1, value: 1, class: 'narrow', title: 'connector (2.0.1: EVSE)' }),
      el('input', { name: 'idTag', value: DEMO_ID_TAG, maxlength: 36, title: 'id tag' }),
      el('button', { type: 'submit', dataset: { testid: `start-${charger.id}` } }, 'Start'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void busy(form.querySelector('button'), async () => {
        try {
          const result = await api('POST', `/chargers/${encodeURIComponent(charger.id)}/remote-start`, {
            connectorId: Number(form.elements.connectorId.value),
            idTag: form.elements.idTag.value,
          });
          toast(`Remote start on ${charger.id}: ${result.status}`, result.status !== 'Accepted');
        } catch (err) {
          throw new Error(`Remote start on ${charger.id} failed: ${err.message}`, { cause: err });
        }
      });
    });
    startForms.set(charger.id, form);
  }
  form.querySelector('button').disabled = !charger.connected;
  return form;
}

// Pending / Rejected chargers (UNKNOWN_CHARGERS=pending) are accepted here; the charger's next
// BootNotification then gets Accepted.
async function accept(charger) {
  try {
    await api('PATCH', `/chargers/${encodeURIComponent(charger.id)}`, { registrationStatus: 'Accepted' });
    toast(`${charger.id} accepted; it is admitted at its next BootNotification`);
  } catch (err) {
    toast(`Accepting ${charger.id} failed: ${err.message}`, true);
  }
}

function renderChargers(chargers) {
  const body = $('chargers-body');
  body.replaceChildren();
  if (chargers.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No chargers yet — connect a simulator.')));
    return;
  }
  for (const c of chargers) {
    const connectors = c.connectors.length
      ? c.connectors.map((k) => el('span', { class: `badge ${k.status}`, dataset: { testid: `connector-${c.id}-${k.connectorId}` } }, `${k.connectorId}: ${k.status}`))
      : [el('span', { class: 'muted' }, '—')];
    body.append(
      el(
        'tr',
        { dataset: { testid: `charger-${c.id}`, connected: c.connected } },
        el('td', {}, el('a', { href: chargerHref(c.id), dataset: { testid: `open-${c.id}` } }, c.id)),
        el(
          'td',
          {},
          el('span', { class: `dot${c.connected ? ' on' : ''}` }),
          c.connected ? 'connected' : 'offline',
          c.registrationStatus !== 'Accepted' ? ` (${c.registrationStatus}) ` : '',
          c.registrationStatus === 'Accepted' ? '' : el('button', { type: 'button', dataset: { testid: `accept-${c.id}` }, onclick: () => accept(c) }, 'Accept'),
        ),
        el('td', {}, c.protocol ?? '—'),
        el('td', {}, c.nodeId ?? '—'),
        el('td', {}, time(c.lastHeartbeatAt)),
        el('td', {}, ...connectors),
        el('td', {}, startForm(c)),
      ),
    );
  }
}

function renderRecent(items) {
  const body = $('recent-body');
  body.replaceChildren();
  if (items.length === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No completed transaction yet.')));
  for (const tx of items) {
    body.append(
      el(
        'tr',
        { dataset: { testid: `recent-tx-${tx.id}` } },
        el('td', {}, tx.id),
        el('td', {}, el('a', { href: chargerHref(tx.chargerId) }, tx.chargerId)),
        el('td', {}, tx.connectorId),
        el('td', {}, tx.idTag ?? '—'),
        el('td', {}, time(tx.startedAt)),
        el('td', {}, time(tx.stoppedAt)),
        el('td', {}, kwh(tx.energyWh)),
        el('td', {}, tx.stopReason ?? ''),
      ),
    );
  }
}

const live = transactionCards($('live-transactions'));
let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const [chargers, active, recent] = await Promise.all([
      api('GET', '/chargers'),
      api('GET', '/transactions?status=active&limit=100'),
      api('GET', '/transactions?status=completed&limit=10'),
    ]);
    renderChargers(chargers.items);
    live.render(active.items);
    renderRecent(recent.items);
    document.body.dataset.refreshedAt = String(Date.now());
  } catch (err) {
    toast(`Could not load data: ${err.message}`, true);
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

let timer;
const scheduleRefresh = () => {
  clearTimeout(timer);
  timer = setTimeout(refresh, 100);
};

const handlers = Object.fromEntries(DOMAIN_EVENTS.map((type) => [type, scheduleRefresh]));
handlers['transaction.updated'] = (event) => {
  live.update(event.transaction.id);
  scheduleRefresh();
};
listen({ handlers, onOpen: scheduleRefresh });
$('simulate-hint').textContent = `npx chargewire simulate --endpoint ${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/chargers/CP-1 --protocol ocpp1.6 --tag ${DEMO_ID_TAG}`;
$('logout').addEventListener('click', () => void logout());
startStatsPanel();
void refresh();
