// "Site load": the site limit (SITE_LIMIT_KW, changeable here) and every running transaction's allocation
// from the smart-charging engine next to the power its charger reports. Hidden when smart charging is off.
import { api } from './api.js';
import { $, busy, chargerHref, el, toast } from './dom.js';

const kw = (value) => (value === null || value === undefined ? '—' : `${value.toFixed(1)} kW`);
const amps = (value) => (value === null || value === undefined ? '—' : `${value.toFixed(1)} A`);

function render(view) {
  $('site-limit').textContent = kw(view.limitKw);
  $('site-allocated').textContent = kw(view.allocatedKw);
  $('site-measured').textContent = kw(view.measuredKw);
  const rows = view.sessions.map((s) =>
    el(
      'tr',
      { dataset: { testid: `site-row-${s.transactionId}` } },
      el('td', {}, `#${s.transactionId}`),
      el('td', {}, el('a', { href: chargerHref(s.chargerId) }, s.chargerId), ` · ${s.connectorId}`),
      el('td', { dataset: { testid: `site-allocated-${s.transactionId}` } }, `${kw(s.allocatedKw)} (${amps(s.allocatedA)})`),
      el('td', { dataset: { testid: `site-measured-${s.transactionId}` } }, kw(s.measuredKw)),
      el('td', {}, s.unconfirmed ? 'not confirmed (retrying)' : `${s.status}, ${amps(s.confirmedA)} accepted`),
    ),
  );
  $('site-body').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No running transaction'))]));
  $('site-warning').textContent = view.overCommitted.length
    ? `Over-committed: minimum rates do not all fit; paused: ${view.overCommitted.flatMap((o) => o.paused).join(', ')}`
    : '';
}

async function refresh() {
  try {
    render(await api('GET', '/site'));
    $('site-load').hidden = false;
  } catch {
    // 404: smart charging is off (no SITE_LIMIT_KW); keep the section hidden.
    $('site-load').hidden = true;
  }
}

$('site-limit-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('site-limit-input');
  void busy($('site-limit-set'), async () => {
    render(await api('PUT', '/site', { limitKw: Number(input.value) }));
    toast(`Site limit set to ${input.value} kW`);
  });
});

void refresh();
setInterval(() => void refresh(), 2000);
