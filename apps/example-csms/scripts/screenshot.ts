// Takes the README's dashboard screenshots from a real run: an in-process CSMS, simulated chargers (the
// client package) charging with meter values, then headless Chromium (playwright-core) logs in and shoots.
//   npm run screenshot -w @chargewire/example-csms      (CHROMIUM=/path/to/chromium to override)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { OCPPClient } from '@chargewire/client';
import { RpcError } from '@chargewire/rpc-core';
import { createCsms } from '../src/app.js';
import { DEMO_ID_TAG } from '../src/seed.js';

const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const token = 'screenshot-admin-token-000000000000';
const dir = mkdtempSync(join(tmpdir(), 'csms-shot-'));
const csms = await createCsms({ databaseFile: join(dir, 'csms.sqlite'), port: 0, host: '127.0.0.1', adminToken: token, pingIntervalMs: 0, statsIntervalMs: 500 });
const { port } = await csms.listen();
const base = `http://127.0.0.1:${port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** A 1.6 charger that charges on connector 1 along a realistic power curve (ramp, plateau, taper). */
async function charger(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', peakKw: number, minutes: number) {
  const cp = new OCPPClient({ endpoint: `ws://127.0.0.1:${port}/api/v1/chargers`, identity: id, protocols: [protocol], reconnect: false, pingIntervalMs: 0 });
  await cp.connect();
  if (protocol === 'ocpp2.0.1') {
    await cp.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Duo 22' } });
    await cp.call('ocpp2.0.1', 'StatusNotification', { timestamp: minutesAgo(minutes), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    let wh = 52_000;
    const meter = (m: number, kw: number, context: 'Transaction.Begin' | 'Sample.Periodic') => [{
      timestamp: minutesAgo(m),
      sampledValue: [
        { value: wh, measurand: 'Energy.Active.Import.Register' as const, context },
        { value: kw * 1000, measurand: 'Power.Active.Import' as const, context },
      ],
    }];
    await cp.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Started', timestamp: minutesAgo(minutes), triggerReason: 'Authorized', seqNo: 0,
      transactionInfo: { transactionId: `${id}-tx`, chargingState: 'Charging' }, evse: { id: 1, connectorId: 1 },
      idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' }, meterValue: meter(minutes, 0, 'Transaction.Begin'),
    });
    for (let m = minutes - 1, seq = 1; m >= 0; m--, seq++) {
      const kw = curve(peakKw, minutes - m, minutes);
      wh += (kw * 1000) / 60;
      await cp.call('ocpp2.0.1', 'TransactionEvent', {
        eventType: 'Updated', timestamp: minutesAgo(m), triggerReason: 'MeterValuePeriodic', seqNo: seq,
        transactionInfo: { transactionId: `${id}-tx` }, meterValue: meter(m, kw, 'Sample.Periodic'),
      });
    }
    return cp;
  }
  cp.handle('ocpp1.6', 'GetConfiguration', () => {
    throw new RpcError('NotSupported', 'configuration is read-only on this model');
  });
  cp.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
  await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 11', firmwareVersion: '2.4.1' });
  await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: minutesAgo(minutes) });
  await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 2, errorCode: 'NoError', status: 'Available', timestamp: minutesAgo(90) });
  let wh = 1_250_000;
  const { transactionId } = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: wh, timestamp: minutesAgo(minutes) });
  for (let m = minutes - 1; m >= 0; m--) {
    const kw = curve(peakKw, minutes - m, minutes);
    wh += (kw * 1000) / 60;
    await cp.call('ocpp1.6', 'MeterValues', {
      connectorId: 1, transactionId,
      meterValue: [{ timestamp: minutesAgo(m), sampledValue: [
        { value: wh.toFixed(0), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: kw.toFixed(2), measurand: 'Power.Active.Import', unit: 'kW' },
      ] }],
    });
  }
  return cp;
}

/** Ramp up over 3 minutes, a plateau with a little noise, a taper in the last third. */
function curve(peak: number, minute: number, total: number): number {
  const ramp = Math.min(1, minute / 3);
  const taper = minute > total * 0.66 ? Math.max(0.25, 1 - (minute - total * 0.66) / (total * 0.5)) : 1;
  return peak * ramp * taper * (0.96 + 0.04 * Math.sin(minute));
}

const chargers = [await charger('CP-WALLBOX-1', 'ocpp1.6', 11, 40), await charger('CS-DUO-2', 'ocpp2.0.1', 22, 30)];
const idle = new OCPPClient({ endpoint: `ws://127.0.0.1:${port}/api/v1/chargers`, identity: 'CP-GARAGE-3', protocols: ['ocpp1.6'], reconnect: false, pingIntervalMs: 0 });
await idle.connect();
await idle.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox 11' });
await idle.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: minutesAgo(5) });
const done = await idle.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 880_000, timestamp: minutesAgo(75) });
await idle.call('ocpp1.6', 'StopTransaction', { transactionId: done.transactionId, meterStop: 888_400, timestamp: minutesAgo(20), reason: 'EVDisconnected' });
await idle.close();
await idle.connect();

const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
// Some traffic over a few seconds so the server charts have a history: heartbeats, a reset, failing reads.
for (let i = 0; i < 12; i++) {
  await Promise.all(chargers.map((cp) => (cp.protocol === 'ocpp1.6' ? cp.call('ocpp1.6', 'Heartbeat', {}) : cp.call('ocpp2.0.1', 'Heartbeat', {}))));
  if (i % 4 === 1) await fetch(`${base}/api/v1/chargers/CP-WALLBOX-1/configuration`, { headers: auth });
  if (i === 6) await fetch(`${base}/api/v1/chargers/CP-WALLBOX-1/reset`, { method: 'POST', headers: auth, body: '{"type":"Soft"}' });
  await sleep(400);
}

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'csms-shot-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  viewport: { width: 1360, height: 1000 },
  deviceScaleFactor: 1,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await context.newPage();
await page.goto(`${base}/login`);
await page.getByTestId('login-token').fill(token);
await page.getByTestId('login-submit').click();
await page.waitForURL(`${base}/`);
await page.getByTestId('live-indicator').and(page.locator('[data-state="open"]')).waitFor();
await page.locator('[data-testid^="power-chart-"]').nth(1).waitFor();
await sleep(2500);
mkdirSync(outDir, { recursive: true });
await page.screenshot({ path: join(outDir, 'dashboard.png'), fullPage: true });
await page.goto(`${base}/charger?id=CP-WALLBOX-1`);
await page.getByTestId('message-log').locator('tr[data-outcome="error"]').first().waitFor();
await page.locator('[data-testid^="power-chart-"]').first().waitFor();
await sleep(500);
await page.screenshot({ path: join(outDir, 'charger.png'), fullPage: true });
console.log(`wrote ${join(outDir, 'dashboard.png')} and ${join(outDir, 'charger.png')}`);

await context.close();
await Promise.all(chargers.map((cp) => cp.close({ force: true })));
await idle.close({ force: true });
await csms.close();
rmSync(dir, { recursive: true, force: true });
rmSync(profile, { recursive: true, force: true });
