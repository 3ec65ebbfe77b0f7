import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { chromiumAvailable, launchHeadlessChromium, type HeadlessBrowser } from './testing/headlessChromium.fixture.js';
import { DEMO_ID_TAG } from './seed.js';
import { eventually, NOW, startTestCsms, TEST_ADMIN_TOKEN, type TestCsms } from './testing/harness.fixture.js';

// The dashboard's "Site load" section (SITE_LIMIT_KW) in a headless browser: the allocation of a running
// transaction next to the power its charger reports, and a new limit set from the page.
const hasChromium = chromiumAvailable('site load dashboard test');

describe.skipIf(!hasChromium)('dashboard: site load', { timeout: 90_000 }, () => {
  let t: TestCsms;
  let context: BrowserContext;
  let browser: HeadlessBrowser;
  beforeAll(async () => {
    t = await startTestCsms({ siteLimitKw: 11 });
    browser = await launchHeadlessChromium('csms-chromium-site');
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.dispose();
    await t?.stop();
  });

  it('shows the allocation next to the measured power and sets a new limit', async () => {
    const limits: number[] = [];
    const cp = t.charger('CP-SITE-UI', 'ocpp1.6');
    cp.handle('ocpp1.6', 'SetChargingProfile', ({ params }) => {
      limits.push(params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit ?? NaN);
      return { status: 'Accepted' };
    });
    await cp.connect();
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    await eventually(() => limits.length > 0);
    await cp.call('ocpp1.6', 'MeterValues', {
      connectorId: 1, transactionId: start.transactionId,
      meterValue: [{ timestamp: NOW(), sampledValue: [{ value: '10900', measurand: 'Power.Active.Import', unit: 'W' }, { value: '300', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });

    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.baseUrl}/login`);
    await page.getByTestId('login-token').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.getByTestId('site-load').waitFor({ state: 'visible' });
    await page.getByTestId(`site-measured-${start.transactionId}`).getByText('10.9 kW').waitFor();
    expect(await page.getByTestId('site-limit').textContent()).toBe('11.0 kW');
    expect(await page.getByTestId(`site-allocated-${start.transactionId}`).textContent()).toBe('11.0 kW (15.9 A)');

    await page.getByTestId('site-limit-input').fill('7');
    await page.getByTestId('site-limit-set').click();
    await page.getByTestId('site-limit').getByText('7.0 kW').waitFor();
    await eventually(() => limits.at(-1) === Math.floor((7_000 / 690) * 10) / 10);
    expect(pageErrors).toEqual([]);
  });
});
