import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { DEMO_ID_TAG } from './seed.js';
import { NOW, startTestCsms, TEST_ADMIN_TOKEN, type TestCsms } from './testing/harness.fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`force-close dashboard test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!hasChromium)('dashboard force-close', { timeout: 60_000 }, () => {
  let t: TestCsms;
  let context: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    t = await startTestCsms();
    profile = mkdtempSync(join(tmpdir(), 'csms-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await context?.close();
    await t?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('an operator closes a transaction the charger left open, with a reason, from its live card', async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.baseUrl}/login`);
    await page.getByTestId('login-token').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${t.baseUrl}/`);

    // A 1.6 charger starts a transaction, then goes silent without stopping it.
    const cp = t.charger('CP-DASH', 'ocpp1.6');
    await cp.connect();
    await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 100, timestamp: NOW() });
    await cp.close({ force: true });

    const card = page.getByTestId(`live-tx-${start.transactionId}`);
    await card.waitFor({ timeout: 15_000 });
    page.once('dialog', (dialog) => void dialog.accept('charger removed from site'));
    await page.getByTestId(`close-${start.transactionId}`).click();
    await page.getByTestId('toast').getByText(`Closed #${start.transactionId}: charger removed from site`).waitFor({ timeout: 15_000 });
    await card.waitFor({ state: 'detached', timeout: 15_000 });

    const tx = await t.api(`GET`, `/api/v1/transactions/${start.transactionId}`);
    expect(tx.body).toMatchObject({ active: false, closedBy: 'operator', stopReason: 'charger removed from site', energyWh: 0 });
    expect(pageErrors).toEqual([]);
  });
});
