import { backoffDelay, type ResolvedBackoff } from './backoff.js';
import { ConnectError, ConnectionRefusedError } from './errors.js';
import type { OpenedSocket } from './openSocket.js';
import type { OCPPClientOptions } from './options.js';

/** A connection that stayed open this long resets the reconnect back-off to its initial wait. */
const STABLE_CONNECTION_MS = 10_000;

/** The client as the loop sees it: how to open a socket, and what to tell about each step. */
export interface ReconnectOwner {
  /** An attempt starts (0 = first connect or first try after a drop). */
  attemptStarting(attempt: number): void;
  /** Opens one socket; `signal` aborts when the loop is stopped. */
  openSocket(signal: AbortSignal): Promise<OpenedSocket>;
  opened(socket: OpenedSocket): void;
  /** `error` is the failure of the previous attempt; undefined after a drop. */
  retryScheduled(attempt: number, delayMs: number, error: ConnectError | undefined): void;
  gaveUp(error: ConnectError): void;
}

/**
 * Getting a connection open and open again: one attempt at a time, the back-off between attempts (at least
 * the server's `Retry-After`, capped), and when to give up. It knows nothing of the client's state or
 * events; `stop()` cancels whatever is under way.
 */
export class ReconnectLoop {
  #abort: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #lastDelayMs: number | undefined;
  /** Consecutive failed attempts since the last open connection (for backoff.maxAttempts). */
  #failures = 0;
  #openedAt = 0;
  /** Until the first connection opens, failures follow retryInitialConnect. */
  #initial = false;
  readonly #backoff: ResolvedBackoff;
  readonly #random: () => number;
  readonly #options: Pick<OCPPClientOptions, 'retryInitialConnect'>;
  readonly #owner: ReconnectOwner;

  constructor(
    backoff: ResolvedBackoff,
    random: () => number,
    options: Pick<OCPPClientOptions, 'retryInitialConnect'>,
    owner: ReconnectOwner,
  ) {
    this.#backoff = backoff;
    this.#random = random;
    this.#options = options;
    this.#owner = owner;
  }

  /** The first connect: a fresh back-off, and an attempt right away. */
  start(): void {
    this.#attempt = 0;
    this.#failures = 0;
    this.#lastDelayMs = undefined;
    this.#initial = true;
    void this.#run();
  }

  /** The open connection dropped: schedule the next attempt. */
  dropped(): void {
    if (Date.now() - this.#openedAt >= STABLE_CONNECTION_MS) {
      this.#attempt = 0;
      this.#lastDelayMs = undefined;
    }
    this.#schedule(undefined);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    this.#abort = undefined;
  }

  async #run(): Promise<void> {
    this.#timer = undefined;
    const abort = new AbortController();
    this.#abort = abort;
    this.#owner.attemptStarting(this.#attempt);
    let opened: OpenedSocket;
    try {
      opened = await this.#owner.openSocket(abort.signal);
    } catch (err) {
      if (abort.signal.aborted || this.#abort !== abort) return; // stop() took over
      this.#abort = undefined;
      // Anything but a ConnectError was thrown before a byte went out (e.g. an invalid header value):
      // a configuration problem that another attempt would only repeat.
      this.#failed(
        err instanceof ConnectError ? err : new ConnectError(`Cannot open the connection: ${err instanceof Error ? err.message : String(err)}`, false, { cause: err }),
      );
      return;
    }
    if (this.#abort !== abort || abort.signal.aborted) {
      opened.ws.terminate();
      return;
    }
    this.#abort = undefined;
    // The back-off exponent is not reset here but when a connection proves stable (see dropped), so a
    // server that accepts and drops at once (duplicate identity, crash loop) is not hammered.
    this.#failures = 0;
    this.#openedAt = Date.now();
    this.#initial = false;
    this.#owner.opened(opened);
  }

  #failed(error: ConnectError): void {
    // Unless retryInitialConnect is set, the first connect() makes one attempt and its caller decides.
    if (
      !error.retryable ||
      (this.#initial && this.#options.retryInitialConnect !== true) ||
      ++this.#failures >= this.#backoff.maxAttempts
    ) {
      this.#owner.gaveUp(error);
      return;
    }
    this.#schedule(error);
  }

  #schedule(error: ConnectError | undefined): void {
    let delayMs = backoffDelay(this.#attempt, this.#lastDelayMs, this.#backoff, this.#random());
    if (error instanceof ConnectionRefusedError && error.retryAfterMs !== undefined) {
      delayMs = Math.max(delayMs, Math.min(error.retryAfterMs, this.#backoff.maxMs));
    }
    this.#lastDelayMs = delayMs;
    this.#attempt += 1;
    this.#owner.retryScheduled(this.#attempt, delayMs, error);
    // Not unref'd on purpose: a client that is reconnecting is work in progress; close() stops the loop.
    this.#timer = setTimeout(() => void this.#run(), delayMs);
  }
}
