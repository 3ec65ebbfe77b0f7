import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import type { DeflateAgreement } from './negotiate.js';
import { SlidingWindow } from './slidingWindow.js';

/** RFC 7692 §7.2.1: the empty stored block every message ends with, removed by the sender, added back here. */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const EMPTY = Buffer.alloc(0);

type Callback = (err: Error | null, result?: Buffer) => void;

/** The part of ws' WebSocket this extension uses to close a connection with the right code. */
interface ClosableSocket {
  close(code: number, reason: string): void;
  terminate(): void;
}

/** The `code` of the error reported for a compressed message that does not inflate (the connection is closed with 1007). */
export const INVALID_COMPRESSED_DATA = 'WS_ERR_INVALID_COMPRESSED_DATA';

/** An error as ws' Receiver reports them: `code` tells the connection's channel which close code was sent. */
function receiveError(message: string, code: string): Error {
  return Object.assign(new RangeError(message), { code });
}

/**
 * permessage-deflate (RFC 7692) for one server connection, in the shape ws' Receiver and Sender expect of
 * their `permessage-deflate` extension (`params`, `decompress`, `compress`, `cleanup`).
 *
 * ws' own implementation keeps a zlib stream per direction and runs every frame through the libuv thread pool
 * (an asynchronous round trip of some 90 µs of CPU per frame, measured in bench/compression.ts), and the streams
 * stay allocated on idle connections. Here every message is inflated and deflated synchronously in one zlib
 * call: OCPP frames are small, so the call costs a few microseconds, and nothing but an optional window of past
 * bytes (context takeover only) outlives the message.
 *
 * Limits: the inflated size of a message is capped at `maxPayload` while inflating (zlib stops there; a zip
 * bomb costs at most `maxPayload` bytes and closes the connection with 1009); ws caps the compressed bytes of
 * a message at `maxPayload` before they reach `decompress`.
 */
export class SyncPerMessageDeflate {
  /** Read by ws' Sender: below this many bytes a message goes out uncompressed (server_no_context_takeover only). */
  readonly _threshold: number;
  /** The negotiated parameters, as ws' Sender reads them (one shared frozen object per distinct agreement). */
  readonly params: Readonly<Record<string, boolean | number>>;

  readonly #maxPayload: number;
  readonly #level: number;
  /** Shared by every connection with the same parameters (see negotiate.ts). */
  readonly #agreement: DeflateAgreement;
  // Everything below stays undefined on a connection that only ever sends and receives whole messages without
  // context takeover: an idle connection holds this object's fields and nothing else.
  /** Compressed fragments of the message being received (continuation frames, RFC 7692 §6.1). */
  #fragments: Buffer[] | undefined;
  /** What the charger's compressor can refer back to (client context takeover only). */
  #inflateWindow: SlidingWindow | undefined;
  /** What the charger's decompressor holds of our output: the earlier fragments of a message, or past messages with server context takeover. */
  #deflateWindow: SlidingWindow | undefined;
  #socket: ClosableSocket | undefined;

  constructor(agreement: DeflateAgreement, maxPayload: number, threshold: number, level: number) {
    this._threshold = threshold;
    this.#maxPayload = maxPayload;
    this.#level = level;
    this.#agreement = agreement;
    this.params = paramsOf(agreement);
  }

  /** Read by ws' Sender: which side's `*_no_context_takeover` applies to what this side sends. */
  get _isServer(): boolean {
    return true;
  }

  /** @internal The WebSocket this extension belongs to (to close it with 1009 or 1007 on a bad message). */
  attach(socket: ClosableSocket): void {
    this.#socket = socket;
  }

  /**
   * ws' Receiver hands each compressed frame here. The answer is inflated at once but delivered on a microtask:
   * the Receiver re-enters its parse loop from this callback and must not do so from inside that very loop.
   */
  decompress(data: Buffer, fin: boolean, callback: Callback): void {
    if (!fin) {
      (this.#fragments ??= []).push(data);
      queueMicrotask(() => callback(null, EMPTY));
      return;
    }
    let result: Buffer | Error;
    try {
      result = this.#inflate(data);
    } catch (err) {
      result = this.#inflateFailed(err);
    }
    queueMicrotask(() => (result instanceof Error ? callback(result) : callback(null, result)));
  }

  #inflate(last: Buffer): Buffer {
    const fragments = this.#fragments;
    let input: Buffer;
    if (fragments === undefined) input = Buffer.concat([last, TRAILER]);
    else {
      fragments.push(last, TRAILER);
      input = Buffer.concat(fragments);
      this.#fragments = undefined;
    }
    const options: ZlibOptions = {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: this.#maxPayload,
      // Sized to the message (JSON inflates a few times over) rather than zlib's 16 KiB per call.
      chunkSize: Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, input.length * 4)),
    };
    // Always a 32 KiB window: inflating with a larger window than the charger compressed with is harmless.
    if (this.#agreement.clientNoContextTakeover) return inflateRawSync(input, options);
    const window = (this.#inflateWindow ??= new SlidingWindow(1 << this.#agreement.clientWindowBits));
    if (window.bytes) options.dictionary = window.bytes;
    const out = inflateRawSync(input, options);
    window.append(out);
    return out;
  }

  #inflateFailed(err: unknown): Error {
    this.#fragments = undefined;
    this.#inflateWindow = undefined;
    // ws' Receiver reports a compressed message it cannot read without a close code: send the right one first.
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      this.#socket?.close(1009, 'Message too big');
      return receiveError('Max payload size exceeded', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    }
    this.#socket?.close(1007, 'Invalid compressed data');
    return receiveError('Invalid compressed data', INVALID_COMPRESSED_DATA);
  }

  /**
   * ws' Sender hands each message (or fragment) to compress here; the answer is synchronous, which the Sender
   * supports. A fragment that is not the last keeps its sync-flush tail, and the next fragment continues the
   * same stream by taking the earlier ones as its dictionary.
   */
  compress(data: Buffer | string, fin: boolean, callback: Callback): void {
    let out: Buffer;
    try {
      const input = typeof data === 'string' ? Buffer.from(data) : data;
      const { serverWindowBits, serverNoContextTakeover } = this.#agreement;
      const options: ZlibOptions = { windowBits: serverWindowBits, level: this.#level, finishFlush: constants.Z_SYNC_FLUSH };
      const dictionary = this.#deflateWindow?.bytes;
      if (dictionary) options.dictionary = dictionary;
      out = deflateRawSync(input, options);
      if (fin) out = out.subarray(0, out.length - TRAILER.length);
      if (!serverNoContextTakeover || !fin) (this.#deflateWindow ??= new SlidingWindow(1 << serverWindowBits)).append(input);
      else this.#deflateWindow = undefined;
    } catch (err) {
      // Never a half-written frame: the Sender drops the send when it finds the socket destroyed.
      this.#socket?.terminate();
      callback(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    callback(null, out);
  }

  /** Called by ws when the connection closes. */
  cleanup(): void {
    this.#fragments = undefined;
    this.#inflateWindow = undefined;
    this.#deflateWindow = undefined;
    this.#socket = undefined;
  }
}

const MIN_CHUNK = 1024;
const MAX_CHUNK = 64 * 1024;

/** One frozen `params` object per distinct agreement, shared by every connection that has it. */
const sharedParams = new Map<string, Readonly<Record<string, boolean | number>>>();

function paramsOf(a: DeflateAgreement): Readonly<Record<string, boolean | number>> {
  const key = `${+a.serverNoContextTakeover}${+a.clientNoContextTakeover}${a.serverWindowBits},${a.clientWindowBits}`;
  let params = sharedParams.get(key);
  if (!params) {
    params = Object.freeze({
      server_no_context_takeover: a.serverNoContextTakeover,
      client_no_context_takeover: a.clientNoContextTakeover,
      server_max_window_bits: a.serverWindowBits,
      client_max_window_bits: a.clientWindowBits,
    });
    sharedParams.set(key, params);
  }
  return params;
}
