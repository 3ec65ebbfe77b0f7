import type { AnyHandler } from './inboundCalls.js';

/**
 * An endpoint's handlers by protocol and action, plus the wildcard.
 *
 * Sized for a server holding tens of thousands of endpoints: the first action of the first protocol is kept
 * in two fields, and Maps are made only once a second action or protocol is registered (a one-entry Map
 * costs about 250 bytes, the fields nothing extra).
 */
export class HandlerRegistry {
  wildcard: AnyHandler | undefined;
  private protocol: string | undefined;
  private firstAction: string | undefined;
  private firstHandler: AnyHandler | undefined;
  /** Every action of `protocol` once it has more than one (then the first* fields are unused). */
  private byAction: Map<string, AnyHandler> | undefined;
  /** Other protocols (rare: an endpoint speaks one protocol per connection). */
  private others: Map<string, Map<string, AnyHandler>> | undefined;

  set(protocol: string, action: string, handler: AnyHandler): void {
    if (this.protocol === undefined) this.protocol = protocol;
    if (protocol !== this.protocol) {
      this.others ??= new Map();
      let byAction = this.others.get(protocol);
      if (!byAction) this.others.set(protocol, (byAction = new Map()));
      byAction.set(action, handler);
      return;
    }
    if (this.byAction) this.byAction.set(action, handler);
    else if (this.firstAction === undefined || this.firstAction === action) {
      this.firstAction = action;
      this.firstHandler = handler;
    } else {
      this.byAction = new Map([[this.firstAction, this.firstHandler!]]);
      this.byAction.set(action, handler);
      this.firstAction = this.firstHandler = undefined;
    }
  }

  /** No arguments: the wildcard; a protocol: all of its handlers; both: one handler. */
  delete(protocol?: string, action?: string): void {
    if (protocol === undefined) this.wildcard = undefined;
    else if (protocol === this.protocol) {
      if (action === undefined) {
        // The protocol keeps the fields (now empty): re-registering it refills them, others stay in their map.
        this.firstAction = this.firstHandler = this.byAction = undefined;
      } else if (this.byAction) this.byAction.delete(action);
      else if (this.firstAction === action) this.firstAction = this.firstHandler = undefined;
    } else if (action === undefined) this.others?.delete(protocol);
    else this.others?.get(protocol)?.delete(action);
  }

  /** The handler for an inbound action: the specific one, else the wildcard. */
  get(protocol: string, action: string): AnyHandler | undefined {
    if (protocol === this.protocol) {
      const specific = this.byAction ? this.byAction.get(action) : action === this.firstAction ? this.firstHandler : undefined;
      return specific ?? this.wildcard;
    }
    return this.others?.get(protocol)?.get(action) ?? this.wildcard;
  }
}
