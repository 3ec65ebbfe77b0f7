/**
 * Returned by a handler that answers later through `ctx.reply` / `ctx.replyError`, or never (the caller
 * then times out). For a SEND handler the return value is ignored anyway.
 */
export const NOREPLY: unique symbol = Symbol('chargewire.rpc.noreply');
