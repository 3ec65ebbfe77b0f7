import { isSendableCloseCode, truncateCloseReason } from '@chargewire/rpc-core/internal';
import type { ChannelSink, RpcChannel } from '@chargewire/rpc-core';
import type { RawData } from 'ws';
import type { ChannelSocket, SocketEventTarget } from './channelSocket.js';
import { INVALID_COMPRESSED_DATA } from './compression/syncPerMessageDeflate.js';

/** Per-client message-rate limit: at most `messages` frames per `perMs`; exceeding it closes with 1008. */
export interface MessageRateLimit {
  messages: number;
  perMs: number;
}

/** Told when the channel closes a connection itself because of a limit (the server's stats). */
export interface LimitCloseSink {
  limitClose(code: number): void;
  /** The peer stopped reading: its send buffer passed `maxBufferedBytes` and the socket was dropped. */
  sendBufferClose(): void;
}

/** WebSocket close codes (RFC 6455 §7.4.1) the server uses for its own decisions. */
export const CloseCodes = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
} as const;

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * The rpc-core `RpcChannel` over a `ws` WebSocket (text frames only; OCPP-J §3: binary frames are not
 * part of the protocol and are answered by closing with 1003).
 */
export class WsChannel implements RpcChannel, SocketEventTarget {
  /** Set on any inbound traffic; the keep-alive sweep clears it and pings. */
  alive = true;
  /** The endpoint (rpc-core calls setSink): one reference instead of two listener closures. */
  #sink: ChannelSink | undefined;
  #windowStart = 0;
  #windowCount = 0;
  #closedDone = false;
  #sentCloseCode: number | undefined;
  #sentCloseReason: string | undefined;
  readonly #rateLimit: MessageRateLimit | undefined;
  readonly #limits: LimitCloseSink | undefined;
  readonly #maxBufferedBytes: number;

  constructor(
    readonly socket: ChannelSocket,
    rateLimit: MessageRateLimit | undefined,
    limits: LimitCloseSink | undefined,
    maxBufferedBytes = Infinity,
  ) {
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#rateLimit = rateLimit;
    this.#limits = limits;
    socket.target = this;
  }

  send(text: string): void {
    const socket = this.socket;
    if (socket.readyState !== 1) return;
    // A peer that does not read makes every answer wait in memory (ws' queue, then the socket's). Past the cap
    // the connection is dropped, not closed: a close frame would queue behind the very bytes that do not drain.
    // Checked before sending, so one frame larger than the cap still goes to a peer that keeps up.
    if (socket.bufferedAmount >= this.#maxBufferedBytes) {
      this.#dropSlowReader();
      return;
    }
    socket.send(text);
  }

  close(code?: number, reason?: string): void {
    const state = this.socket.readyState;
    if (state === 2 || state === 3) return;
    // ws throws on codes that may not be sent (1005, 1006, …): fall back to 1000 rather than leave it open.
    this.socket.close(code === undefined || isSendableCloseCode(code) ? code : CloseCodes.normal, reason === undefined ? undefined : truncateCloseReason(reason));
  }

  /** Hard close (dead peer, or a peer that does not complete the closing handshake). */
  terminate(): void {
    this.socket.terminate();
  }

  ping(): void {
    if (this.socket.readyState === 1) this.socket.ping();
  }

  setSink(sink: ChannelSink): void {
    this.#sink = sink;
  }

  /** Listener form of RpcChannel, for code that attaches without a sink: adapts to one. */
  onMessage(listener: (text: string) => void): void {
    const close = this.#sink;
    this.#sink = { channelMessage: (_c, text) => listener(text), channelClose: (c, code, reason) => close?.channelClose(c, code, reason) };
  }

  onClose(listener: (code: number, reason: string) => void): void {
    const message = this.#sink;
    this.#sink = { channelMessage: (c, text) => message?.channelMessage(c, text), channelClose: (_c, code, reason) => listener(code, reason) };
  }

  /** @internal */
  receive(data: RawData, isBinary: boolean): void {
    this.alive = true;
    if (this.socket.readyState !== 1) return;
    if (isBinary) {
      this.#limitClose(CloseCodes.unsupportedData, 'Binary frames are not supported');
      return;
    }
    const limit = this.#rateLimit;
    if (limit) {
      const now = Date.now();
      if (now - this.#windowStart >= limit.perMs) {
        this.#windowStart = now;
        this.#windowCount = 0;
      }
      if (++this.#windowCount > limit.messages) {
        this.#limitClose(CloseCodes.policyViolation, 'Message rate limit exceeded');
        return;
      }
    }
    this.#sink?.channelMessage(this, rawToString(data));
  }

  /** @internal */
  protocolError(wsErrorCode: string | undefined): void {
    const code =
      wsErrorCode === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? CloseCodes.messageTooBig : wsErrorCode === 'WS_ERR_INVALID_UTF8' || wsErrorCode === INVALID_COMPRESSED_DATA ? 1007 : CloseCodes.protocolError;
    this.#sentCloseCode = code;
    if (code === CloseCodes.messageTooBig) this.#limits?.limitClose(code);
  }

  /** @internal */
  closed(code: number, reasonBytes: Buffer): void {
    if (this.#closedDone) return;
    this.#closedDone = true;
    const reason = reasonBytes.toString('utf8');
    // ws closes the connection itself after a protocol error (e.g. maxPayload → 1009, invalid UTF-8 → 1007)
    // and then reports 1006 locally, because it stops reading before the peer's close frame arrives: tell
    // the code it sent (or, for a dropped slow reader, the reason it was dropped), which is what really happened.
    if (code === 1006 && this.#sentCloseCode !== undefined) this.#sink?.channelClose(this, this.#sentCloseCode, this.#sentCloseReason ?? reason);
    else this.#sink?.channelClose(this, code, reason);
  }

  #dropSlowReader(): void {
    this.#limits?.sendBufferClose();
    this.#sentCloseCode = CloseCodes.policyViolation;
    this.#sentCloseReason = 'Send buffer limit exceeded';
    this.socket.terminate();
  }

  #limitClose(code: number, reason: string): void {
    this.#limits?.limitClose(code);
    this.close(code, reason);
  }
}
