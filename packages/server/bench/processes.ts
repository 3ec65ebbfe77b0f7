/** Child processes of the server benchmarks: targets and load generators, talking over IPC, each bounded in time. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TargetKind } from './targets.js';
import type { TargetMessage } from './targetProcess.js';

export const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 120_000);

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

/** Runs a TS file in a child with IPC, the soft fd limit raised to the hard one, and the source condition. */
export function child(file: string, arg: string): ChildProcess {
  const nodeArgs = ['--import', 'tsx', '--conditions=@chargewire/source', '--expose-gc', here(file), arg];
  return spawn('sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...nodeArgs], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export function nextMessage<T>(proc: ChildProcess, what: string, timeoutMs = PHASE_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (m: T): void => {
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what}: process exited (${code})`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
    };
    proc.on('message', onMessage);
    proc.on('exit', onExit);
  });
}

export function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (proc.connected) proc.send({ type: 'exit' });
    else proc.kill('SIGTERM');
  });
}

export async function startTarget(kind: TargetKind): Promise<{ proc: ChildProcess; port: number }> {
  const proc = child('./targets.ts', kind);
  const ready = await nextMessage<TargetMessage>(proc, `${kind} start`, 60_000);
  if (ready.type !== 'ready') throw new Error(`${kind}: unexpected ${ready.type}`);
  return { proc, port: ready.port };
}

export async function memory(proc: ChildProcess, kind: TargetKind): Promise<Extract<TargetMessage, { type: 'mem' }>> {
  proc.send({ type: 'mem' });
  const m = await nextMessage<TargetMessage>(proc, `${kind} memory`, 60_000);
  if (m.type !== 'mem') throw new Error('unexpected message');
  return m;
}


/**
 * Runs a benchmark's main and exits with its outcome (0, or 1 with the error); exits with 2 once
 * BENCH_TOTAL_TIMEOUT_MS (default `defaultTimeoutMs`) has passed, so a stuck phase cannot hang a run.
 */
export function runBenchmark(main: () => Promise<void>, defaultTimeoutMs: number): void {
  const overall = setTimeout(() => {
    console.error('benchmark: overall time limit reached');
    process.exit(2);
  }, Number(process.env.BENCH_TOTAL_TIMEOUT_MS ?? defaultTimeoutMs));
  overall.unref();
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
