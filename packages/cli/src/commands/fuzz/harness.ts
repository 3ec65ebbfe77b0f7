import { callFrame, readFrame } from '../../net/frames.js';
import type { RawConnection } from '../../net/rawConnection.js';
import type { Reaction } from './oracle.js';

/**
 * Where a worker's connections come from: dialled to a CSMS (`fuzz --endpoint`) or accepted from a
 * charger (`fuzz --listen`). `open` rejects with {@link UnreachableError} when the target is gone.
 */
export interface ConnectionSource {
  open(worker: number): Promise<RawConnection>;
}

/** The target no longer accepts connections (a CSMS that died, a charger that did not come back). */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/** Options of {@link FuzzHarness}. */
export interface HarnessOptions {
  source: ConnectionSource;
  /** Worker number (selects the connection's identity). */
  worker: number;
  /** How long to wait for an answer the spec requires. @default 2000 */
  deadlineMs?: number;
  /**
   * After the probe is answered, how long to keep listening for a late answer to an ignored frame. The target
   * reads frames in order, so an answer it gives while reading the ignored frame is already in before the probe's
   * answer; only an answer from a handler it wrongly started and that finishes after the probe's needs this.
   * Every ignored frame idles this long, which bounded throughput (20 ms: 1,566 frames/s; 0: 2,781). @default 0
   */
  graceMs?: number;
  /** A CALL the target must answer (with anything), used to tell "ignored" from "hung". */
  probe: { action: string; payload: unknown };
  /**
   * Malformed frames and refused CALLs sent over one connection before the harness opens a fresh one on its
   * own: servers close with 1008 after a bounded number of bad messages (chargewire's default is 10). @default 8
   */
  badFrameBudget?: number;
}

const PROBE_PREFIX = 'cw-probe-';
/** RFC 6455 §7.4.1 / IANA: 1001 Going Away, 1012 Service Restart. */
const RESTART_CODES = new Set([1001, 1012]);

/**
 * Sends one frame at a time over a worker's connection and observes the reaction (one outstanding CALL per
 * connection, OCPP-J §4.1.1 / Part 4 §4.1.1). An expected silence is confirmed with a probe CALL instead of
 * a long timeout. A restart close (1001/1012) gets the frame sent again on the next connection. A 1008 close that follows malformed frames is the target enforcing its bad-message bound:
 * the harness retries the frame once on a fresh connection instead of reporting it.
 */
export class FuzzHarness {
  #conn: RawConnection | undefined;
  #probes = 0;
  /** Bad frames (malformed, or answered with a CALLERROR) sent on the current connection. */
  #bad = 0;
  readonly #deadlineMs: number;
  readonly #graceMs: number;
  readonly #budget: number;
  /** Frames sent, probes included. */
  sent = 0;
  lastFrame: string | undefined;
  readonly #options: HarnessOptions;

  constructor(options: HarnessOptions) {
    this.#options = options;
    this.#deadlineMs = options.deadlineMs ?? 2000;
    this.#graceMs = options.graceMs ?? 0;
    this.#budget = options.badFrameBudget ?? 8;
  }

  async stop(): Promise<void> {
    const conn = this.#conn;
    this.#conn = undefined;
    await conn?.close();
  }

  /**
   * Sends `text` and classifies what comes back. `expectAnswer` selects waiting vs probing; `malformed` marks
   * frames the target may count against its bad-message bound.
   */
  async exchange(text: string, expectAnswer: boolean, malformed: boolean): Promise<Reaction> {
    for (let attempt = 0; ; attempt++) {
      if (malformed && this.#bad >= this.#budget) this.#recycle();
      const conn = await this.#connection();
      const badBefore = this.#bad;
      const reaction = await this.#once(conn, text, expectAnswer);
      if (malformed || reaction.kind === 'callError') this.#bad++;
      // A restart the target announced (1012 Service Restart, 1001 Going Away), e.g. after answering a Reset
      // a moment ago: the frame is judged again on the next connection.
      if (reaction.kind === 'closed' && RESTART_CODES.has(reaction.code) && attempt === 0) continue;
      const policyClose = reaction.kind === 'closed' && reaction.code === 1008 && (badBefore > 0 || malformed);
      if (!policyClose) return reaction;
      // The target enforced its bad-message bound: judge the frame again on a clean connection.
      if (attempt === 0 && badBefore > 0) continue;
      return malformed ? { kind: 'policyClose' } : reaction;
    }
  }

  async #once(conn: RawConnection, text: string, expectAnswer: boolean): Promise<Reaction> {
    conn.drain();
    this.sent++;
    this.lastFrame = text;
    if (!conn.send(text)) return this.#closedReaction(conn);
    if (expectAnswer) {
      const reply = await conn.next(isResponse, this.#deadlineMs);
      if (reply === 'closed') return this.#closedReaction(conn);
      if (reply !== 'timeout') return classify(reply);
      // The answer may still come: this connection has an outstanding CALL and is of no further use.
      await this.#discard(conn);
      return { kind: 'hang' };
    }
    const probe = await this.#probe(conn);
    if (probe !== 'answered') return probe;
    const late = await conn.next(isResponse, this.#graceMs);
    if (late === 'closed') return this.#closedReaction(conn);
    return late === 'timeout' ? { kind: 'none' } : classify(late);
  }

  async #probe(conn: RawConnection): Promise<'answered' | Reaction> {
    const id = `${PROBE_PREFIX}${++this.#probes}`;
    this.sent++;
    if (!conn.send(callFrame(id, this.#options.probe.action, this.#options.probe.payload))) return this.#closedReaction(conn);
    const answer = await conn.next((text) => answersProbe(text, id), this.#deadlineMs);
    if (answer === 'closed') return this.#closedReaction(conn);
    if (answer === 'timeout') {
      await this.#discard(conn);
      return { kind: 'hang' };
    }
    if (readFrame(answer).type === 'error') this.#bad++;
    return 'answered';
  }

  async #discard(conn: RawConnection): Promise<void> {
    if (this.#conn === conn) this.#conn = undefined;
    await conn.close();
  }

  /** Leaves the connection before the target's bad-message bound is reached; the close handshake runs in the background. */
  #recycle(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    void conn?.close();
  }

  async #closedReaction(conn: RawConnection): Promise<Reaction> {
    if (this.#conn === conn) this.#conn = undefined;
    const info = await conn.waitClosed(1000);
    if (!info) conn.socket.terminate();
    return { kind: 'closed', code: info?.code ?? 1006, reason: info?.reason ?? '' };
  }

  async #connection(): Promise<RawConnection> {
    if (this.#conn && !this.#conn.isClosed) return this.#conn;
    this.#conn = await this.#options.source.open(this.#options.worker);
    this.#bad = 0;
    return this.#conn;
  }
}

function isResponse(text: string): boolean {
  const frame = readFrame(text);
  if (frame.type === 'result' || frame.type === 'error') return !frame.id.startsWith(PROBE_PREFIX);
  return frame.type === 'invalid';
}

function answersProbe(text: string, id: string): boolean {
  const frame = readFrame(text);
  return (frame.type === 'result' || frame.type === 'error') && frame.id === id;
}

/** Turns a received frame into a reaction. */
export function classify(text: string): Reaction {
  const frame = readFrame(text);
  switch (frame.type) {
    case 'result':
      return { kind: 'callResult', id: frame.id, payload: frame.payload };
    case 'error':
      return { kind: 'callError', id: frame.id, code: frame.code, description: frame.description, details: frame.details };
    default:
      return { kind: 'unparseable', text };
  }
}
