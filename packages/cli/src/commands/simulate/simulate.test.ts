import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { startRawCsms } from '../../testing/rawCsms.fixture.js';
import { startLocalCsms, type LocalCsms } from '../serve/localCsms.js';
import type { FleetRow } from './fleet.js';

const SCENARIO = 'boot; plug 1; tap 1 TAG; start 1; meter 1 x3; offline; meter 1; online; stop 1; unplug 1; expect 1 Available';

let csms: LocalCsms;
let base: string;
let dir: string;
beforeAll(async () => {
  csms = await startLocalCsms({ port: 0, protocols: ['ocpp2.0.1', 'ocpp1.6'], onLog: () => undefined });
  base = `ws://127.0.0.1:${csms.address.port}/ocpp`;
  dir = await mkdtemp(join(tmpdir(), 'cw-simulate-'));
});
afterAll(async () => {
  await csms.close();
  await rm(dir, { recursive: true, force: true });
});

describe('chargewire simulate --script', () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1']) {
    it(`runs the documented scenario on ${protocol} and prints the log`, async () => {
      const io = bufferIo();
      const code = await runCli(['simulate', '-e', `${base}/S-${protocol}`, '-p', protocol, '--script', SCENARIO], io);
      expect(io.stderr).toBe('');
      expect(code).toBe(0);
      expect(io.stdout).toMatch(/scenario passed \(11 steps\)/);
      expect(io.stdout).toMatch(/→ \[2,"[^"]+","BootNotification"/);
      expect(io.stdout).toMatch(/← \[3,"[^"]+",\{"status":"Accepted"/);
      expect(io.stdout).toMatch(protocol === 'ocpp1.6' ? /"StartTransaction"/ : /"TransactionEvent".*"eventType":"Started"/);
      expect(io.stdout).toMatch(/queued until back online/);
      expect(io.stdout).toMatch(/✔ online — back online, 1 queued message\(s\) sent/);
      expect(io.stdout).not.toMatch(/✘/);
    });
  }

  it('reads a JSON scenario file and prints JSON; a failing step exits 1', async () => {
    const file = join(dir, 'fail.json');
    await writeFile(file, JSON.stringify(['boot', 'start 1 TAG', 'plug 1']));
    const io = bufferIo();
    const code = await runCli(['simulate', '-e', `${base}/S-json`, '--script', file, '--json'], io);
    expect(code).toBe(1);
    const result = JSON.parse(io.stdout) as { ok: boolean; steps: Array<{ text: string; ok: boolean; detail: string }> };
    expect(result.ok).toBe(false);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[1]).toEqual({ text: 'start 1 TAG', ok: false, detail: 'connector 1 is not plugged in' });
  });

  it('fails a step the CSMS rejects', async () => {
    const raw = await startRawCsms({ protocols: ['ocpp1.6'], faults: { unknownActionCode: 'NotImplemented' } });
    try {
      const io = bufferIo();
      // The raw CSMS does not implement StartTransaction: the CALLERROR fails the step.
      const code = await runCli(['simulate', '-e', raw.url('S-raw'), '--script', 'boot; plug 1; start 1 TAG'], io);
      expect(code).toBe(1);
      expect(io.stdout).toMatch(/✘ start 1 TAG — StartTransaction failed: NotImplemented/);
    } finally {
      await raw.close();
    }
  });

  it('explains an unreachable endpoint and a refused upgrade', async () => {
    const io = bufferIo();
    expect(await runCli(['simulate', '-e', 'ws://127.0.0.1:1/ocpp/X', '--script', 'boot'], io)).toBe(1);
    expect(io.stderr).toMatch(/^error: cannot reach ws:\/\/127\.0\.0\.1:1\/ocpp\/X: connection refused/);
    const refusing = await startRawCsms({ refuseWith: 401 });
    try {
      const io2 = bufferIo();
      expect(await runCli(['simulate', '-e', refusing.url('X'), '--script', 'boot'], io2)).toBe(1);
      expect(io2.stderr).toMatch(/^error: upgrade refused by .*\/X: HTTP 401/);
    } finally {
      await refusing.close();
    }
  });

  it('exits 2 for a bad script, a bad protocol, or no terminal without --script', async () => {
    for (const argv of [
      ['simulate', '-e', `${base}/U`, '--script', 'boot; fly 1'],
      ['simulate', '-e', `${base}/U`, '-p', 'ocpp2.1', '--script', 'boot'],
      ['simulate', '-e', `${base}/U`],
    ]) {
      const io = bufferIo();
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toMatch(/error/);
    }
  });
});

describe('chargewire simulate --count', () => {
  it('runs a scenario on a fleet and prints a summary', async () => {
    const io = bufferIo();
    const code = await runCli(['simulate', '-e', `${base}/FLEET`, '-p', 'ocpp2.0.1', '--count', '4', '--script', 'boot; plug 1; tap 1 T; start 1; meter 1; stop 1', '--json'], io);
    expect(code).toBe(0);
    const rows = JSON.parse(io.stdout) as FleetRow[];
    expect(rows.map((r) => r.identity)).toEqual(['FLEET-1', 'FLEET-2', 'FLEET-3', 'FLEET-4']);
    for (const row of rows) {
      expect(row.steps).toEqual({ ok: 6, total: 6 });
      expect(row.failures).toBe(0);
      expect(row.sent).toBeGreaterThan(6);
    }
  });

  it('keeps a headless fleet online for --duration and reports it', async () => {
    const io = bufferIo();
    const code = await runCli(['simulate', '-e', `${base}/HL`, '--count', '3', '--duration', '0.3'], io);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/HL-1\s+online\s+yes/);
    expect(io.stdout).toMatch(/3\/3 chargers without problems/);
  });
});
