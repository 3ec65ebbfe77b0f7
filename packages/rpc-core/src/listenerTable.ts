import type { EventEmitter } from 'node:events';

/**
 * Drops the empty listener table an EventEmitter makes in its constructor; Node's EventEmitter creates it
 * again on the first `on()`/`once()`, and every method copes with its absence (the state of an emitter
 * whose constructor never ran). The empty table is a dictionary of about 180 bytes: objects that a server
 * holds per connection and that mostly nobody listens to (endpoints, sockets, clients) save that much each.
 * Call it in the subclass constructor, right after `super()`.
 */
export function deferListenerTable(emitter: EventEmitter): void {
  const internals = emitter as unknown as { _events: object | undefined; _eventsCount: number };
  if (internals._eventsCount === 0) internals._events = undefined;
}
