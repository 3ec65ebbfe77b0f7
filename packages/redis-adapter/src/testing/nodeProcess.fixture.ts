import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClusterNodeConfig } from './clusterNode.fixture.js';

const SCRIPT = fileURLToPath(new URL('./clusterNodeProcess.fixture.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

type Incoming = { event: string; [k: string]: unknown } | { id: number; reply?: unknown; failure?: string };

/** A cluster node running in a child process (TypeScript sources through tsx), driven over stdin/stdout. */
export class NodeProcess {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly #events: Array<{ event: string; [k: string]: unknown }> = [];
  readonly #eventWaiters: Array<{ name: string; resolve(v: { event: string; [k: string]: unknown }): void }> = [];
  readonly exited: Promise<number | null>;
  #nextId = 1;
  #stderr = '';
  url = '';

  private constructor(readonly nodeId: string, child: ChildProcess) {
    this.#child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.#waiting.values()) w.reject(new Error(`node ${nodeId} exited; stderr: ${this.#stderr.slice(-2000)}`));
      this.#waiting.clear();
    });
    child.stderr?.on('data', (d: Buffer) => (this.#stderr += d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => this.#onLine(line));
  }

  /** Spawns a node and waits until it listens. */
  static async spawn(config: ClusterNodeConfig, startTimeoutMs = 30_000): Promise<NodeProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@chargewire/source', SCRIPT, JSON.stringify(config)], {
      cwd: PACKAGE_DIR,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const node = new NodeProcess(config.nodeId, child);
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = await Promise.race([
        node.nextEvent('ready'),
        node.exited.then((code) => Promise.reject(new Error(`node ${config.nodeId} exited with ${code} before it was ready: ${node.#stderr.slice(-2000)}`))),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`node ${config.nodeId} did not start in time`)), startTimeoutMs))),
      ]);
      node.url = String(ready['url']);
      return node;
    } catch (err) {
      await node.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one command and resolves with its reply. */
  request<T = unknown>(command: Record<string, unknown>): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
        reject(new Error(`node ${this.nodeId} is not running`));
        return;
      }
      this.#waiting.set(id, { resolve, reject });
      this.#child.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  /** Resolves with the next (or an already received, not yet consumed) event of that name. */
  nextEvent(name: string): Promise<{ event: string; [k: string]: unknown }> {
    const i = this.#events.findIndex((e) => e.event === name);
    if (i >= 0) return Promise.resolve(this.#events.splice(i, 1)[0]!);
    return new Promise((resolve) => this.#eventWaiters.push({ name, resolve }));
  }

  /** SIGKILL: the node dies without any clean-up, like a crashed machine. Idempotent. */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGSTOP: the node hangs with every socket left open (no FIN, no heartbeat), like a stalled machine. */
  freeze(): void {
    this.#child.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen node runs again. */
  thaw(): void {
    this.#child.kill('SIGCONT');
  }

  #onLine(line: string): void {
    let msg: Incoming;
    try {
      msg = JSON.parse(line) as Incoming;
    } catch {
      return; // not ours (a library printing to stdout)
    }
    if ('event' in msg) {
      const w = this.#eventWaiters.findIndex((x) => x.name === msg.event);
      if (w >= 0) this.#eventWaiters.splice(w, 1)[0]!.resolve(msg);
      else this.#events.push(msg);
      return;
    }
    const waiter = this.#waiting.get(msg.id);
    if (!waiter) return;
    this.#waiting.delete(msg.id);
    if (msg.failure !== undefined) waiter.reject(new Error(msg.failure));
    else waiter.resolve(msg.reply);
  }
}
