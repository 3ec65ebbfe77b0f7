// Dashboard of the example CSMS: plain JavaScript, no build step. Reads the REST API and refreshes
// whenever the server pushes an event on /api/v1/events (Server-Sent Events).
const API = '/api/v1';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
};
const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const kwh = (wh) => `${(wh / 1000).toFixed(3)} kWh`;

let toastTimer;
function toast(message, isError = false) {
  const box = $('toast');
  box.textContent = message;
  box.className = `show${isError ? ' error' : ''}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.className = ''), 5000);
}

async function api(method, path, body) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.message ?? `${res.status} ${res.statusText}`);
  return data;
}

// Forms are created once per charger so that a refresh does not wipe what the user is typing.
const startForms = new Map();
function startForm(charger) {
  let form = startForms.get(charger.id);
  if (!form) {
    form = el(
      'form',
      { class: 'start', dataset: { testid: `start-form-${charger.id}` } },
      el('input', { name: 'connectorId', type: 'number', min: 1, value: 1, title: 'connector (2.0.1: EVSE)' }),
      el('input', { name: 'idTag', value: 'DEMO-TAG-1', maxlength: 36, title: 'id tag' }),
      el('button', { type: 'submit', dataset: { testid: `start-${charger.id}` } }, 'Start'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        const connectorId = Number(form.elements.connectorId.value);
        const result = await api('POST', `/chargers/${encodeURIComponent(charger.id)}/remote-start`, {
          connectorId,
          idTag: form.elements.idTag.value,
        });
        toast(`Remote start on ${charger.id}: ${result.status}`, result.status !== 'Accepted');
      } catch (err) {
        toast(`Remote start on ${charger.id} failed: ${err.message}`, true);
      } finally {
        button.disabled = false;
      }
    });
    startForms.set(charger.id, form);
  }
  form.querySelector('button').disabled = !charger.connected;
  return form;
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
        el('td', {}, c.id),
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

async function stop(tx) {
  try {
    const result = await api('POST', `/chargers/${encodeURIComponent(tx.chargerId)}/remote-stop`, { transactionId: tx.id });
    toast(`Remote stop of #${tx.id}: ${result.status}`, result.status !== 'Accepted');
  } catch (err) {
    toast(`Remote stop of #${tx.id} failed: ${err.message}`, true);
  }
}

function renderLive(items) {
  const body = $('live-body');
  body.replaceChildren();
  if (items.length === 0) body.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No transaction in progress.')));
  for (const tx of items) {
    body.append(
      el(
        'tr',
        { dataset: { testid: `live-tx-${tx.id}`, charger: tx.chargerId } },
        el('td', {}, tx.id),
        el('td', {}, tx.chargerId),
        el('td', {}, tx.connectorId),
        el('td', {}, tx.idTag ?? '—'),
        el('td', {}, time(tx.startedAt)),
        el('td', { dataset: { testid: `energy-${tx.id}` } }, kwh(tx.energyWh)),
        el('td', {}, el('button', { class: 'stop', type: 'button', dataset: { testid: `stop-${tx.id}` }, onclick: () => stop(tx) }, 'Stop')),
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
        el('td', {}, tx.chargerId),
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

let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const [chargers, live, recent] = await Promise.all([
      api('GET', '/chargers'),
      api('GET', '/transactions?status=active&limit=100'),
      api('GET', '/transactions?status=completed&limit=10'),
    ]);
    renderChargers(chargers.items);
    renderLive(live.items);
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

function listen() {
  const indicator = $('live');
  const source = new EventSource(`${API}/events`);
  source.addEventListener('open', () => {
    indicator.dataset.state = 'open';
    indicator.textContent = 'live';
    scheduleRefresh(); // catch up on anything missed while disconnected
  });
  source.addEventListener('error', () => {
    indicator.dataset.state = 'error';
    indicator.textContent = 'reconnecting…';
  });
  for (const type of ['charger.connected', 'charger.disconnected', 'charger.updated', 'connector.status', 'transaction.started', 'transaction.updated', 'transaction.stopped']) {
    source.addEventListener(type, scheduleRefresh);
  }
}

$('simulate-hint').textContent = `npx chargewire simulate --endpoint ${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/chargers/CP-1 --protocol ocpp1.6`;
listen();
void refresh();
