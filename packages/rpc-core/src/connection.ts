import type { RpcChannel } from './channel.js';
import type { HandlerRegistry } from './handlerRegistry.js';
import type { MessageMiddleware } from './middleware.js';
import type { ResolvedStrictMode } from './options.js';
import type { RuleSet } from './protocolRules.js';

/**
 * The current attachment of an endpoint, shared by its parts (the endpoint updates it on attach/detach).
 * `channel` is undefined while detached; the other fields describe the current or last protocol.
 */
export interface Connection {
  channel: RpcChannel | undefined;
  protocol: string;
  ruleSet: RuleSet;
  strict: ResolvedStrictMode;
  /** Message middleware (replaced, never mutated, by use()); here because every frame reads it. */
  middleware: readonly MessageMiddleware[];
  /**
   * Where inbound calls find their handler: the endpoint's own registry (chained to the shared one), or
   * the shared one itself while the endpoint has none of its own (so a connection served only by route-
   * or server-level handlers carries no registry).
   */
  handlers: HandlerRegistry | undefined;
}
