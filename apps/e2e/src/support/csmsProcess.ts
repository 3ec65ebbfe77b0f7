import { spawn, type ChildProcess } from 'node:child_process';
import { csmsMain, csmsMainBuilt, workspaceRoot } from './paths.js';
import { E2E_OPERATOR_TOKEN } from './rest.js';

/** An example-CSMS instance running in its own process, as `npm start` runs it. */
export interface CsmsProcess {
  readonly nodeId: string;
  readonly port: number;
  readonly api: string;
  readonly child: ChildProcess;
  /** Output so far, for failure messages. */
  output(): string;
  /** SIGKILL: the node dies without any goodbye (no presence clean-up, no close frames). */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `apps/example-csms` with the given environment, from its sources (as `npm start` does) or from its
 * build (as a deployment runs it: no TypeScript loader in the process); resolves once it listens.
 */
export function startCsmsProcess(nodeId: string, env: Record<string, string>, timeoutMs = 60_000, from: 'sources' | 'build' = 'sources'): Promise<CsmsProcess> {
  const args = from === 'build' ? [csmsMainBuilt] : ['--import', 'tsx', '--conditions=@chargewire/source', csmsMain];
  const child = spawn(process.execPath, args, {
    cwd: workspaceRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', NODE_ID: nodeId, LOG_LEVEL: 'warn', ADMIN_TOKEN: E2E_OPERATOR_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CSMS ${nodeId} did not start:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /is listening on [^\s]+:(\d+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({
        nodeId,
        port,
        api: `http://127.0.0.1:${port}`,
        child,
        output: () => output,
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CSMS ${nodeId} exited with ${code}:\n${output}`));
    });
  });
}
