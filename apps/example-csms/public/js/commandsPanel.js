// The commands of the charger page: remote start/stop, reset, get/set configuration, unlock.
import { api } from './api.js';
import { busy, el, toast } from './dom.js';

const field = (name, props = {}) => el('input', { name, ...props });

/** A small form whose submit runs `action(form)` and toasts its `{ status }`. */
function commandForm(testid, title, fields, label, action) {
  const button = el('button', { type: 'submit', dataset: { testid: `cmd-${testid}` } }, label);
  const form = el('form', { class: 'command', dataset: { testid: `form-${testid}` } }, el('span', { class: 'label' }, title), ...fields, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(button, async () => {
      const result = await action(form);
      if (result?.status) toast(`${title}: ${result.status}`, !['Accepted', 'Scheduled', 'Unlocked'].includes(result.status));
    });
  });
  return form;
}

function configurationTable(result) {
  return el(
    'table',
    { class: 'config', dataset: { testid: 'configuration' } },
    el('thead', {}, el('tr', {}, el('th', {}, 'Key'), el('th', {}, 'Value'), el('th', {}, ''))),
    el(
      'tbody',
      {},
      ...result.configuration.map((c) => el('tr', {}, el('td', {}, c.key), el('td', {}, c.value ?? '—'), el('td', { class: 'muted' }, c.readonly ? 'read-only' : ''))),
      ...result.unknownKeys.map((k) => el('tr', {}, el('td', {}, k), el('td', { class: 'muted' }, 'unknown key'), el('td', {}, ''))),
    ),
  );
}

/** Renders the panel into `container` for charger `id`; `activeTransactions()` gives what remote stop offers. */
export function commandsPanel(container, id, { idTag, activeTransactions }) {
  const path = (suffix) => `/chargers/${encodeURIComponent(id)}/${suffix}`;
  const output = el('div', { class: 'config-output' });
  const stopSelect = el('select', { name: 'transactionId', dataset: { testid: 'stop-select' } });
  container.replaceChildren(
    commandForm('remote-start', 'Remote start', [field('connectorId', { type: 'number', min: 1, value: 1, class: 'narrow', title: 'connector' }), field('idTag', { value: idTag, maxlength: 36 })], 'Start', (f) =>
      api('POST', path('remote-start'), { connectorId: Number(f.elements.connectorId.value), idTag: f.elements.idTag.value }),
    ),
    commandForm('remote-stop', 'Remote stop', [stopSelect], 'Stop', (f) => {
      if (!f.elements.transactionId.value) throw new Error('no transaction in progress');
      return api('POST', path('remote-stop'), { transactionId: Number(f.elements.transactionId.value) });
    }),
    commandForm('reset', 'Reset', [el('select', { name: 'type' }, el('option', {}, 'Soft'), el('option', {}, 'Hard'))], 'Reset', (f) =>
      api('POST', path('reset'), { type: f.elements.type.value }),
    ),
    commandForm('unlock', 'Unlock connector', [field('connectorId', { type: 'number', min: 1, value: 1, class: 'narrow' })], 'Unlock', (f) =>
      api('POST', path('unlock'), { connectorId: Number(f.elements.connectorId.value) }),
    ),
    commandForm('get-configuration', 'Get configuration', [field('key', { placeholder: 'keys (empty = all)' })], 'Get', async (f) => {
      const keys = f.elements.key.value.trim();
      const result = await api('GET', `${path('configuration')}${keys ? `?key=${encodeURIComponent(keys)}` : ''}`);
      output.replaceChildren(configurationTable(result));
      return undefined;
    }),
    commandForm('set-configuration', 'Set configuration', [field('key', { placeholder: 'key', required: true }), field('value', { placeholder: 'value', class: 'narrow-wide' })], 'Set', (f) =>
      api('PUT', path('configuration'), { key: f.elements.key.value.trim(), value: f.elements.value.value }),
    ),
    output,
  );
  return {
    /** Refreshes what remote stop offers and enables the forms only while the charger is connected. */
    update(connected) {
      const txs = activeTransactions();
      stopSelect.replaceChildren(...txs.map((tx) => el('option', { value: tx.id }, `#${tx.id} (connector ${tx.connectorId})`)));
      for (const button of container.querySelectorAll('button')) button.disabled = !connected;
    },
  };
}
