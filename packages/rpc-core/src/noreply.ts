declare const noReply: unique symbol;

/**
 * The type of {@link NOREPLY}: a branded symbol rather than a `unique symbol`, which TypeScript widens
 * to `symbol` in an inferred result (an async handler's `return NOREPLY` would then not type-check).
 */
export type NoReply = symbol & { readonly [noReply]: true };

/**
 * Returned by a handler that answers later through `ctx.reply` / `ctx.replyError`, or never (the caller
 * then times out). For a SEND handler the return value is ignored anyway.
 */
export const NOREPLY = Symbol('chargewire.rpc.noreply') as NoReply;
