import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../program.js';
import { bufferIo, type BufferIo } from '../../testing/bufferIo.fixture.js';
import type { LogEntry } from '../serve/frameLog.js';
import { startLocalCsms, type LocalCsms } from '../serve/localCsms.js';
import { parseListen } from './proxyCommand.js';

describe('parseListen', () => {
  it('reads [host:]port', () => {
    expect(parseListen('9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('host:')).toThrow(/\[host:\]port/);
    expect(() => parseListen('70000')).toThrow(/\[host:\]port/);
  });
});

describe('chargewire proxy', () => {
  let backend: LocalCsms;
  const backendLog: LogEntry[] = [];
  let io: BufferIo;
  let done: Promise<number>;
  let proxyUrl: string;

  beforeAll(async () => {
    backend = await startLocalCsms({ port: 0, protocols: ['ocpp2.0.1'], onLog: (e) => backendLog.push(e) });
    io = bufferIo();
    done = runCli(['proxy', '--listen', '127.0.0.1:0', '--upstream', `ws://127.0.0.1:${backend.address.port}/csms`], io);
    const [, url] = await io.waitForOut(/listening on (ws:\/\/127\.0\.0\.1:\d+)\//);
    proxyUrl = url ?? '';
  });
  afterAll(async () => {
    io.abort();
    expect(await done).toBe(0);
    await backend.close();
  });

  it('lets a simulated 1.6 charger run a session against a 2.0.1-only CSMS', async () => {
    const sim = bufferIo();
    const code = await runCli(['simulate', '-e', `${proxyUrl}/ocpp/PX-1`, '-p', 'ocpp1.6', '--script', 'boot; plug 1; tap 1 TAG; start 1; meter 1; stop 1; unplug 1'], sim);
    expect(sim.stdout).toMatch(/scenario passed/);
    expect(code).toBe(0);
    const actions = backendLog.flatMap((e) => (e.event === 'frame' && e.direction === 'in' && e.identity === 'PX-1' ? [String(e.frame[2])] : []));
    expect(actions).toContain('BootNotification');
    expect(actions.filter((a) => a === 'TransactionEvent').length).toBeGreaterThanOrEqual(3);
    expect(backendLog.some((e) => e.event === 'connect' && e.identity === 'PX-1' && e.protocol === 'ocpp2.0.1')).toBe(true);
    await io.waitForOut(/PX-1 disconnected/);
    expect(io.stdout).toMatch(/PX-1 connected/);
    expect(io.stdout).toMatch(/PX-1 \S+ StartTransaction → TransactionEvent ok/);
  });

  it('rejects a non-WebSocket upstream with exit code 2', async () => {
    const other = bufferIo();
    expect(await runCli(['proxy', '--listen', '0', '--upstream', 'http://example.invalid'], other)).toBe(2);
    expect(other.stderr).toMatch(/--upstream must be a ws:\/\/ or wss:\/\/ URL/);
  });
});
