import { LatencySampler } from './latencySampler.js';
import type { LatencySummary } from './latencySampler.js';

/** A snapshot of the server's counters (see `server.stats()`). */
export interface ServerStats {
  connections: {
    /** Open connections now. */
    current: number;
    /** Open connections now, by negotiated subprotocol. */
    byProtocol: Record<string, number>;
    /** Accepted since start. */
    accepted: number;
    /** Refused upgrades since start, by HTTP status (and `noSubprotocol` for sockets closed with 1002). */
    rejected: Record<string, number>;
    /** Closed by rate/size limits since start, by close code. */
    closedByLimit: Record<string, number>;
    /** Dropped since start because the peer stopped reading and its send buffer passed `maxBufferedBytes`. */
    closedBySendBuffer: number;
  };
  calls: {
    /** CALLs received from chargers and answered (result or error). */
    in: number;
    /** CALLs sent to chargers and settled (result, error or timeout). */
    out: number;
  };
  /** CALLERRORs sent or received, by internal error code. */
  errors: Record<string, number>;
  /** Frames that could not be processed (bad JSON, bad message type, …). */
  badMessages: number;
  latencyMs: {
    /** Time to answer a charger's CALL. */
    in: LatencySummary;
    /** Time for a charger to answer our CALL. */
    out: LatencySummary;
  };
}

const bump = (record: Record<string, number>, key: string, by = 1): void => {
  record[key] = (record[key] ?? 0) + by;
};

/** Mutable counters behind `server.stats()`. */
export class StatsCollector {
  readonly byProtocol: Record<string, number> = {};
  current = 0;
  accepted = 0;
  readonly rejected: Record<string, number> = {};
  readonly closedByLimit: Record<string, number> = {};
  closedBySendBuffer = 0;
  callsIn = 0;
  callsOut = 0;
  readonly errors: Record<string, number> = {};
  badMessages = 0;
  readonly latencyIn = new LatencySampler();
  readonly latencyOut = new LatencySampler();

  opened(protocol: string): void {
    this.current++;
    this.accepted++;
    bump(this.byProtocol, protocol);
  }

  closed(protocol: string): void {
    this.current--;
    bump(this.byProtocol, protocol, -1);
  }

  reject(status: number | string): void {
    bump(this.rejected, String(status));
  }

  limitClose(code: number): void {
    bump(this.closedByLimit, String(code));
  }

  sendBufferClose(): void {
    this.closedBySendBuffer++;
  }

  error(code: string): void {
    bump(this.errors, code);
  }

  snapshot(): ServerStats {
    return {
      connections: {
        current: this.current,
        byProtocol: { ...this.byProtocol },
        accepted: this.accepted,
        rejected: { ...this.rejected },
        closedByLimit: { ...this.closedByLimit },
        closedBySendBuffer: this.closedBySendBuffer,
      },
      calls: { in: this.callsIn, out: this.callsOut },
      errors: { ...this.errors },
      badMessages: this.badMessages,
      latencyMs: { in: this.latencyIn.summary(), out: this.latencyOut.summary() },
    };
  }
}
