// The load run's TCP balancer in front of the CSMS nodes. A deployment puts a dedicated balancer there
// (HAProxy, nginx, a cloud load balancer) on hardware of its own; on this one machine it shares the cores
// with the nodes, so its cost per call is reported beside theirs. `LOAD_BALANCER=haproxy` (the default when
// `haproxy` is on the PATH) runs HAProxy in TCP mode with one thread; `LOAD_BALANCER=node` runs the
// harness's own Node.js balancer (`support/loadBalancer.ts`) in a process of its own.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface BalancerStage {
  readonly kind: 'haproxy' | 'node';
  readonly port: number;
  readonly pid: number | undefined;
  kill(): void;
}

const haproxyFound = (): boolean => spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;

export function balancerKind(): 'haproxy' | 'node' {
  const asked = process.env.LOAD_BALANCER;
  if (asked === 'haproxy' || asked === 'node') return asked;
  if (asked !== undefined) throw new Error(`LOAD_BALANCER must be haproxy or node, not "${asked}"`);
  return haproxyFound() ? 'haproxy' : 'node';
}

export async function startBalancer(kind: 'haproxy' | 'node', backends: number[], chargers: number, dir: string, execArgv: string[]): Promise<BalancerStage> {
  return kind === 'haproxy' ? startHaproxy(backends, chargers, dir) : startNodeBalancer(backends, execArgv);
}

async function startNodeBalancer(backends: number[], execArgv: string[]): Promise<BalancerStage> {
  const child = fork(new URL('./loadBalancerProcess.ts', import.meta.url).pathname, [], {
    execArgv,
    env: { ...process.env, LB_BACKENDS: backends.join(',') },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the balancer exited with ${code}`)));
  });
  return { kind: 'node', port, pid: child.pid, kill: () => void child.kill('SIGKILL') };
}

/** A port free now (HAProxy binds a fixed port; the moment between the two binds is this run's only race). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function startHaproxy(backends: number[], chargers: number, dir: string): Promise<BalancerStage> {
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      // Each charger holds a connection on both sides; the limit must stay under the process's file limit.
      `  maxconn ${chargers + 1_000}`,
      '  nbthread 1',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 1h',
      '  timeout server 1h',
      'frontend chargers',
      `  bind 127.0.0.1:${port}`,
      '  default_backend nodes',
      'backend nodes',
      '  balance roundrobin',
      ...backends.map((p, i) => `  server node${i + 1} 127.0.0.1:${p}`),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // Ready once it accepts a connection on its port.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
    const accepted = await new Promise<boolean>((resolve) => {
      const probe = createServer().listen(port, '127.0.0.1');
      probe.once('listening', () => probe.close(() => resolve(false)));
      probe.once('error', () => resolve(true));
    });
    if (accepted) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not bind 127.0.0.1:${port}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { kind: 'haproxy', port, pid: child.pid, kill: () => void child.kill('SIGKILL') };
}
