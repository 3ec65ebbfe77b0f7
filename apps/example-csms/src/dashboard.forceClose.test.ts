import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { chromiumAvailable, launchHeadlessChromium, type HeadlessBrowser } from './testing/headlessChromium.fixture.js';
import { DEMO_ID_TAG } from './seed.js';
import { NOW, startTestCsms, TEST_ADMIN_TOKEN, type TestCsms } from './testing/harness.fixture.js';

const hasChromium = chromiumAvailable('force-close dashboard test');

describe.skipIf(!hasChromium)('dashboard force-close', { timeout: 60_000 }, () => {
  let t: TestCsms;
  let context: BrowserContext;
  let browser: HeadlessBrowser;
  beforeAll(async () => {
    t = await startTestCsms();
    browser = await launchHeadlessChromium('csms-chromium');
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.dispose();
    await t?.stop();
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
