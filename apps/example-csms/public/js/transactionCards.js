// The live-transaction cards of a page: one power card per active transaction, kept across refreshes so
// charts are not rebuilt from scratch on every event.
import { api } from './api.js';
import { el, toast } from './dom.js';
import { powerCard } from './powerCard.js';

async function stop(tx) {
  try {
    const result = await api('POST', `/chargers/${encodeURIComponent(tx.chargerId)}/remote-stop`, { transactionId: tx.id });
    toast(`Remote stop of #${tx.id}: ${result.status}`, result.status !== 'Accepted');
  } catch (err) {
    toast(`Remote stop of #${tx.id} failed: ${err.message}`, true);
  }
}

/** Force-close over REST after asking for a reason (Cancel aborts); the stop event redraws the cards. */
async function forceClose(tx) {
  const reason = prompt(`Close transaction #${tx.id} without the charger? Reason:`, 'closed by operator');
  if (reason === null) return;
  try {
    const result = await api('POST', `/transactions/${tx.id}/close`, reason.trim() === '' ? {} : { reason: reason.trim().slice(0, 200) });
    toast(`Closed #${tx.id}: ${result.stopReason}`);
  } catch (err) {
    toast(`Closing #${tx.id} failed: ${err.message}`, true);
  }
}

export function transactionCards(container) {
  const cards = new Map();
  return {
    /** Shows exactly these active transactions. */
    render(items) {
      const ids = new Set(items.map((tx) => tx.id));
      for (const [id] of cards) if (!ids.has(id)) cards.delete(id);
      for (const tx of items) if (!cards.has(tx.id)) cards.set(tx.id, powerCard(tx, { onStop: stop, onClose: forceClose }));
      container.replaceChildren(...items.map((tx) => cards.get(tx.id).card));
      if (items.length === 0) container.append(el('p', { class: 'muted' }, 'No transaction in progress.'));
    },
    /** New meter values for a transaction: reload its chart. */
    update(id) {
      void cards.get(id)?.refresh().catch(() => {});
    },
  };
}
