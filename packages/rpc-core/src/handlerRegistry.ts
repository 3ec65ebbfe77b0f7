import type { AnyHandler } from './inboundCalls.js';

/**
 * Handlers by protocol and action, plus the wildcard: an endpoint's own, or a set shared by many
 * endpoints (a server's routes), chained through `parent` (an endpoint's → its route's → its server's).
 *
 * Sized for a server holding tens of thousands of endpoints: the first action of the first protocol is kept
 * in two fields, and Maps are made only once a second action or protocol is registered (a one-entry Map
 * costs about 250 bytes, the fields nothing extra).
 */
export class HandlerRegistry {
  wildcard: AnyHandler | undefined;
  #protocol: string | undefined;
  #firstAction: string | undefined;
  #firstHandler: AnyHandler | undefined;
  /** Every action of `protocol` once it has more than one (then the first* fields are unused). */
  #byAction: Map<string, AnyHandler> | undefined;
  /** Other protocols (rare: an endpoint speaks one protocol per connection). */
  #others: Map<string, Map<string, AnyHandler>> | undefined;

  /** @param parent consulted by {@link find} after this registry (shared by every registry that names it). */
  constructor(readonly parent?: HandlerRegistry) {}

  /**
   * The untyped body of every typed `handle()`: `(handler)` sets the wildcard, `(protocol, action,
   * handler)` one action. Anything else is a TypeError (plain JavaScript callers get no compile check).
   */
  register(protocolOrHandler: unknown, action?: unknown, handler?: unknown): void {
    if (typeof protocolOrHandler === 'function' && action === undefined) {
      this.wildcard = protocolOrHandler as AnyHandler;
      return;
    }
    if (typeof protocolOrHandler !== 'string' || typeof action !== 'string' || typeof handler !== 'function') {
      throw new TypeError('handle(protocol, action, handler) needs a protocol, an action name and a handler function');
    }
    this.set(protocolOrHandler, action, handler as AnyHandler);
  }

  set(protocol: string, action: string, handler: AnyHandler): void {
    if (this.#protocol === undefined) this.#protocol = protocol;
    if (protocol !== this.#protocol) {
      this.#others ??= new Map<string, Map<string, AnyHandler>>();
      let byAction = this.#others.get(protocol);
      if (!byAction) this.#others.set(protocol, (byAction = new Map<string, AnyHandler>()));
      byAction.set(action, handler);
      return;
    }
    if (this.#byAction) this.#byAction.set(action, handler);
    else if (this.#firstAction === undefined || this.#firstAction === action) {
      this.#firstAction = action;
      this.#firstHandler = handler;
    } else {
      this.#byAction = new Map([[this.#firstAction, this.#firstHandler!]]);
      this.#byAction.set(action, handler);
      this.#firstAction = this.#firstHandler = undefined;
    }
  }

  /** No arguments: the wildcard; a protocol: all of its handlers; both: one handler. */
  delete(protocol?: string, action?: string): void {
    if (protocol === undefined) this.wildcard = undefined;
    else if (protocol === this.#protocol) {
      if (action === undefined) {
        // The protocol keeps the fields (now empty): re-registering it refills them, others stay in their map.
        this.#firstAction = this.#firstHandler = this.#byAction = undefined;
      } else if (this.#byAction) this.#byAction.delete(action);
      else if (this.#firstAction === action) this.#firstAction = this.#firstHandler = undefined;
    } else if (action === undefined) this.#others?.delete(protocol);
    else this.#others?.get(protocol)?.delete(action);
  }

  /** The handler for an inbound action in this registry alone: the specific one, else the wildcard. */
  get(protocol: string, action: string): AnyHandler | undefined {
    return this.#specific(protocol, action) ?? this.wildcard;
  }

  /**
   * The handler for an inbound action along the chain: the most specific registration wins (this
   * registry's, then its parent's, …), and only an action nobody handles specifically goes to a wildcard
   * (again nearest first). So a route's BootNotification handler still runs for a client whose own
   * wildcard logs the rest.
   */
  find(protocol: string, action: string): AnyHandler | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the parent chain from here
    let registry: HandlerRegistry | undefined = this;
    do {
      const handler = registry.#specific(protocol, action);
      if (handler) return handler;
      registry = registry.parent;
    } while (registry);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- and again for the nearest wildcard
    registry = this;
    do {
      if (registry.wildcard) return registry.wildcard;
      registry = registry.parent;
    } while (registry);
    return undefined;
  }

  #specific(protocol: string, action: string): AnyHandler | undefined {
    if (protocol === this.#protocol) return this.#byAction ? this.#byAction.get(action) : action === this.#firstAction ? this.#firstHandler : undefined;
    return this.#others?.get(protocol)?.get(action);
  }
}
