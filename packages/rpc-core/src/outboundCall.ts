/** Lifecycle of an outbound call. */
export type CallState = 'queued' | 'sent' | 'done';

/** One outbound CALL, from call() until it settles. */
export interface OutboundCall {
  state: CallState;
  /** The protocol the call was made for; undefined for a callRaw() made before any protocol was known. */
  protocol: string | undefined;
  readonly action: string;
  readonly messageId: string;
  readonly params: unknown;
  /** The serialised, validated frame (set once the protocol is known). */
  text: string | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  sentAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Stops the call's timer and abort listener. */
export function releaseCall(call: OutboundCall): void {
  call.state = 'done';
  if (call.timer !== undefined) {
    clearTimeout(call.timer);
    call.timer = undefined;
  }
  if (call.onAbort && call.signal) {
    call.signal.removeEventListener('abort', call.onAbort);
    call.onAbort = undefined;
  }
}
