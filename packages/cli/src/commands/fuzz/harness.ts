import { EndpointError } from '../../exitCodes.js';
import { callFrame, errorFrame, readFrame } from '../../net/frames.js';
import { openRaw, type RawConnection } from '../../net/rawConnection.js';
import type { Reaction } from './oracle.js';

/** Options of {@link FuzzHarness}. */
export interface HarnessOptions {
  url: string;
  protocol: string;
  /** How long to wait for an answer that the spec requires. @default 2000 */
  deadlineMs?: number;
  /** After the probe is answered, how long to keep listening for a late answer to an ignored frame. @default 30 */
  graceMs?: number;
  /** Basic-auth password (security profiles 1/2). */
  password?: string;
}

/** The CSMS stopped accepting connections: it probably crashed on the previous frame. */
export class ServerCrashedError extends Error {
  override readonly name = 'ServerCrashedError';
}

const PROBE_PREFIX = 'cw-probe-';

/**
 * Sends one frame at a time over a raw connection and observes the reaction. An expected silence is
 * confirmed with a probe CALL (Heartbeat) instead of a long timeout: once the probe is answered, the
 * frame was ignored; an unanswered probe means the server hangs. Reconnects after the server closes.
 */
export class FuzzHarness {
  private conn: RawConnection | undefined;
  private probes = 0;
  private readonly deadlineMs: number;
  private readonly graceMs: number;
  /** Frames sent so far (for the crash report). */
  sent = 0;
  lastFrame: string | undefined;

  constructor(private readonly options: HarnessOptions) {
    this.deadlineMs = options.deadlineMs ?? 2000;
    this.graceMs = options.graceMs ?? 30;
  }

  /** Opens the first connection; rejects with EndpointError when the endpoint is unusable. */
  async start(): Promise<void> {
    await this.connection();
  }

  async stop(): Promise<void> {
    await this.conn?.close();
    this.conn = undefined;
  }

  /** Sends `text` and classifies what comes back; `expectAnswer` selects waiting vs probing. */
  async exchange(text: string, expectAnswer: boolean): Promise<Reaction> {
    const conn = await this.connection();
    conn.drain();
    this.sent++;
    this.lastFrame = text;
    if (!conn.send(text)) return this.closedReaction(conn);
    if (expectAnswer) {
      const reply = await conn.next(isResponse, this.deadlineMs);
      if (reply === 'closed') return this.closedReaction(conn);
      if (reply !== 'timeout') return classify(reply);
      // No answer in time: a probe tells silence (a deviation) from a hang.
      const probe = await this.probe(conn);
      return probe === 'answered' ? { kind: 'none' } : probe;
    }
    const probe = await this.probe(conn);
    if (probe !== 'answered') return probe;
    const late = await conn.next(isResponse, this.graceMs);
    if (late === 'closed') return this.closedReaction(conn);
    return late === 'timeout' ? { kind: 'none' } : classify(late);
  }

  private async probe(conn: RawConnection): Promise<'answered' | Reaction> {
    const id = `${PROBE_PREFIX}${++this.probes}`;
    if (!conn.send(callFrame(id, 'Heartbeat', {}))) return this.closedReaction(conn);
    const answer = await conn.next((text) => answersProbe(text, id), this.deadlineMs);
    if (answer === 'closed') return this.closedReaction(conn);
    if (answer === 'timeout') {
      // A hung connection is useless for the next frames.
      await conn.close();
      this.conn = undefined;
      return { kind: 'hang' };
    }
    return 'answered';
  }

  private async closedReaction(conn: RawConnection): Promise<Reaction> {
    this.conn = undefined;
    const info = await conn.waitClosed(1000);
    if (!info) conn.socket.terminate();
    return { kind: 'closed', code: info?.code ?? 1006, reason: info?.reason ?? '' };
  }

  private async connection(): Promise<RawConnection> {
    if (this.conn && !this.conn.isClosed) return this.conn;
    try {
      const conn = await openRaw(this.options.url, { protocols: [this.options.protocol], ...(this.options.password !== undefined ? { password: this.options.password } : {}) });
      if (conn.protocol !== this.options.protocol) {
        await conn.close();
        throw new EndpointError(`server did not accept subprotocol ${this.options.protocol} (selected '${conn.protocol}')`);
      }
      // The CSMS's own CALLs (e.g. TriggerMessage after boot) are answered so they never block it.
      conn.answerCalls((id) => errorFrame(id, 'NotImplemented', 'fuzzer answers no CSMS calls'));
      this.conn = conn;
      return conn;
    } catch (err) {
      if (this.sent > 0 && err instanceof EndpointError && err.status === undefined) {
        throw new ServerCrashedError(`server stopped accepting connections after ${this.sent} frames (${err.message})`);
      }
      throw err;
    }
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
