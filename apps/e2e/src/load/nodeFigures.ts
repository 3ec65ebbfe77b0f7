// What the load run reads from each CSMS node's `/api/v1/stats`: the server's cumulative handling-time
// histogram (two snapshots bound the run exactly) and the node's own 2-second samples of its event loop's
// delay and its memory.
import { latencyBetween, type LatencyHistogramSnapshot, type LatencyWindow, type ServerStats } from '@chargewire/server';
import type { CsmsProcess } from '../support/csmsProcess.js';
import { rest } from '../support/rest.js';

/** The fields of the example CSMS's stats samples this run reads. */
interface NodeSample {
  at: string;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  memoryMb: { rss: number; heapUsed: number };
}

export interface NodeStats {
  current: ServerStats;
  history: NodeSample[];
}

export function readNodeStats(node: CsmsProcess): Promise<NodeStats> {
  return rest<NodeStats>(node.api, 'GET', '/api/v1/stats').then(({ body }) => body);
}

/** Several nodes' histograms as one: the cluster's handling times taken together. */
export function combined(snapshots: readonly LatencyHistogramSnapshot[]): LatencyHistogramSnapshot {
  const [first] = snapshots;
  if (!first) throw new Error('no histogram to combine');
  return {
    count: snapshots.reduce((n, s) => n + s.count, 0),
    sumMs: snapshots.reduce((n, s) => n + s.sumMs, 0),
    max: Math.max(...snapshots.map((s) => s.max)),
    buckets: first.buckets.map((b, i) => ({ le: b.le, count: snapshots.reduce((n, s) => n + (s.buckets[i]?.count ?? 0), 0) })),
  };
}

/** Handling times of the CALLs answered between the two readings, all nodes together. */
export function handlingBetween(before: readonly NodeStats[], after: readonly NodeStats[]): LatencyWindow {
  return latencyBetween(combined(before.map((s) => s.current.latencyMs.in)), combined(after.map((s) => s.current.latencyMs.in)));
}

/** One node's samples taken within [from, to] (epoch ms): its event loop's worst delays and largest memory. */
export function nodeDuring(stats: NodeStats, from: number, to: number): { loopDelayP99WorstMs: number; loopDelayMaxMs: number; rssMaxMb: number; samples: number } {
  const during = stats.history.filter((s) => {
    const at = Date.parse(s.at);
    return at > from && at <= to;
  });
  const worst = (pick: (s: NodeSample) => number): number => (during.length === 0 ? Number.NaN : Math.max(...during.map(pick)));
  return {
    loopDelayP99WorstMs: worst((s) => s.eventLoopDelayMs.p99),
    loopDelayMaxMs: worst((s) => s.eventLoopDelayMs.max),
    rssMaxMb: worst((s) => s.memoryMb.rss),
    samples: during.length,
  };
}
