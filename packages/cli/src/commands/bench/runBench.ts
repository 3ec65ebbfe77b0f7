import { performance } from 'node:perf_hooks';
import type { Endpoint } from '../../net/endpoint.js';
import { fleetIdentity, urlFor } from '../../net/endpoint.js';
import { callFrame, readFrame } from '../../net/frames.js';
import { openCharger } from '../../net/openCharger.js';
import type { RawConnection } from '../../net/rawConnection.js';
import { bootNotificationPayload, meterValuesPayload } from '../../ocppPayloads.js';
import { latencyStats, type LatencyStats } from './latencyStats.js';
import type { TlsFiles } from '../../net/tlsFiles.js';

/** The actions `bench` can drive. */
export const BENCH_ACTIONS = ['Heartbeat', 'MeterValues'] as const;
export type BenchAction = (typeof BENCH_ACTIONS)[number];

/** Options of {@link runBench}. */
export interface BenchOptions {
  endpoint: Endpoint;
  protocol: string;
  /** Number of concurrent connections (chargers `ID-1` … `ID-N`). */
  connections: number;
  /** How long calls are sent, in seconds. */
  durationS: number;
  action: BenchAction;
  /** Send a BootNotification on each connection first (not measured). @default true */
  boot?: boolean;
  /** A call not answered in this time counts as a timeout error. @default 10000 */
  callTimeoutMs?: number;
  /** Called about every 250 ms while running. */
  onProgress?: (progress: BenchProgress) => void;
  signal?: AbortSignal;
  /** Basic-auth password sent by every charger (security profiles 1/2). */
  password?: string;
  /** CA (and for profile 3 a client certificate and key) for wss://. */
  tls?: TlsFiles;
}

/** Live counters. */
export interface BenchProgress {
  elapsedS: number;
  connected: number;
  calls: number;
  errors: number;
}

/** The final measurement. */
export interface BenchResult {
  endpoint: string;
  protocol: string;
  action: BenchAction;
  connections: number;
  connected: number;
  connectFailures: number;
  /** Successful connections per second while connecting. */
  connectRate: number;
  durationS: number;
  /** Calls answered with a CALLRESULT. */
  calls: number;
  callsPerSecond: number;
  /** CALLERRORs, timeouts, closed connections and connect failures. */
  errors: number;
  errorsByKind: Record<string, number>;
  latencyMs: LatencyStats;
  /** First connect error message, to explain connect failures. */
  firstConnectError?: string;
}

/** One CALL in flight per connection for `durationS`; measures latency of each CALLRESULT. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const latencies: number[] = [];
  const errorsByKind: Record<string, number> = {};
  const countError = (kind: string): void => void (errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1);
  let calls = 0;
  let connected = 0;
  let firstConnectError: string | undefined;
  const started = performance.now();
  const elapsedS = (): number => (performance.now() - started) / 1000;
  const errorsTotal = (): number => Object.values(errorsByKind).reduce((a, b) => a + b, 0);

  // Connect all chargers at once and measure the rate.
  const connectStarted = performance.now();
  const attempts = await Promise.allSettled(
    Array.from({ length: options.connections }, async (_, i) => {
      const identity = fleetIdentity(options.endpoint.identity, i + 1);
      const conn = await openCharger(urlFor(options.endpoint, identity), {
        protocol: options.protocol, password: options.password, tls: options.tls, refusal: 'bench charger answers no CSMS calls',
      });
      connected++;
      return conn;
    }),
  );
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const conns: RawConnection[] = [];
  for (const attempt of attempts) {
    if (attempt.status === 'fulfilled') conns.push(attempt.value);
    else {
      countError('connect');
      firstConnectError ??= attempt.reason instanceof Error ? attempt.reason.message : String(attempt.reason);
    }
  }

  const progressTimer = options.onProgress
    ? setInterval(() => options.onProgress?.({ elapsedS: elapsedS(), connected, calls, errors: errorsTotal() }), 250)
    : undefined;
  const runStarted = performance.now();
  const deadline = runStarted + options.durationS * 1000;
  let sequence = 0;

  const exchange = async (conn: RawConnection, action: string, payload: unknown): Promise<boolean> => {
    const id = `b${++sequence}`;
    const sentAt = performance.now();
    if (!conn.send(callFrame(id, action, payload))) {
      countError('closed');
      return false;
    }
    const reply = await conn.next((text) => {
      const frame = readFrame(text);
      return (frame.type === 'result' || frame.type === 'error') && frame.id === id;
    }, callTimeoutMs);
    if (reply === 'timeout' || reply === 'closed') {
      countError(reply);
      return false;
    }
    const frame = readFrame(reply);
    if (frame.type === 'error') {
      countError(`CALLERROR ${frame.code}`);
      return true;
    }
    if (action === options.action) {
      latencies.push(performance.now() - sentAt);
      calls++;
    }
    return true;
  };

  await Promise.all(
    conns.map(async (conn) => {
      if (options.boot !== false) {
        if (!(await exchange(conn, 'BootNotification', bootNotificationPayload(options.protocol, 'bench')))) return;
      }
      let energy = 0;
      while (performance.now() < deadline && !options.signal?.aborted) {
        const payload = options.action === 'Heartbeat' ? {} : meterValuesPayload(options.protocol, (energy += 10));
        if (!(await exchange(conn, options.action, payload)) && conn.isClosed) return;
      }
    }),
  );
  const runSeconds = (performance.now() - runStarted) / 1000;
  if (progressTimer) clearInterval(progressTimer);
  await Promise.all(conns.map((conn) => conn.close()));

  return {
    endpoint: options.endpoint.url,
    protocol: options.protocol,
    action: options.action,
    connections: options.connections,
    connected,
    connectFailures: options.connections - connected,
    connectRate: connectSeconds > 0 ? connected / connectSeconds : connected,
    durationS: runSeconds,
    calls,
    callsPerSecond: runSeconds > 0 ? calls / runSeconds : 0,
    errors: errorsTotal(),
    errorsByKind,
    latencyMs: latencyStats(latencies),
    ...(firstConnectError ? { firstConnectError } : {}),
  };
}
