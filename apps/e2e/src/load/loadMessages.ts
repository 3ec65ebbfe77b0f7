/** What the load run's orchestrator and its charger workers say to each other over IPC. */
export interface WorkerConfig {
  endpoint: string;
  firstIndex: number;
  count: number;
  intervalMs: number;
}

export type ToWorker = { type: 'go'; deadline: number } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; errors: Record<string, number> }
  | { type: 'done'; latencies: Float64Array; errors: Record<string, number> }
  | { type: 'closed' };
