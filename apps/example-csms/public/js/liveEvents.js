// The server's event stream (Server-Sent Events), with the header's live indicator.
import { $ } from './dom.js';
import { api } from './api.js';

export const DOMAIN_EVENTS = ['charger.connected', 'charger.disconnected', 'charger.updated', 'connector.status', 'transaction.started', 'transaction.updated', 'transaction.stopped'];

/**
 * Opens `/api/v1/events` (`?chargerId=` adds that charger's `message` events) and calls `handlers[type]`
 * with each event's data; `onOpen` runs on every (re)connect, to catch up on what was missed.
 */
export function listen({ chargerId, handlers, onOpen }) {
  const indicator = $('live');
  const source = new EventSource(`/api/v1/events${chargerId ? `?chargerId=${encodeURIComponent(chargerId)}` : ''}`);
  source.addEventListener('open', () => {
    indicator.dataset.state = 'open';
    indicator.textContent = 'live';
    onOpen?.();
  });
  source.addEventListener('error', () => {
    indicator.dataset.state = 'error';
    indicator.textContent = 'reconnecting…';
    // A stream refused with 401 is not retried by the browser: find out whether the session ended.
    if (source.readyState === EventSource.CLOSED) void api('GET', '/stats').then(() => setTimeout(() => listen({ chargerId, handlers, onOpen }), 2000), () => {});
  });
  for (const [type, handler] of Object.entries(handlers)) {
    source.addEventListener(type, (event) => handler(JSON.parse(event.data)));
  }
  return source;
}
