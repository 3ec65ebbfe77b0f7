import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { chromiumAvailable, launchHeadlessChromium, type HeadlessBrowser } from './testing/headlessChromium.fixture.js';
import { RpcError } from '@chargewire/rpc-core';
import { eventually, NOW, startTestCsms, TEST_ADMIN_TOKEN, type TestCsms } from './testing/harness.fixture.js';

const hasChromium = chromiumAvailable('live dashboard test');

const at = (offsetS: number): string => new Date(Date.now() + offsetS * 1000).toISOString();

describe.skipIf(!hasChromium)('live dashboard in a headless browser', { timeout: 90_000 }, () => {
  let t: TestCsms;
  let context: BrowserContext;
  let browser: HeadlessBrowser;
  beforeAll(async () => {
    t = await startTestCsms({ statsIntervalMs: 500 });
    browser = await launchHeadlessChromium('csms-chromium');
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.dispose();
    await t?.stop();
  });

  it('refuses the anonymous browser, then shows a logged-in operator power, messages and server charts live', async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    // Anonymous: the API answers 401 and the dashboard sends the browser to the login page.
    expect((await page.request.get(`${t.baseUrl}/api/v1/chargers`)).status()).toBe(401);
    await page.goto(`${t.baseUrl}/charger?id=CP-LIVE`);
    await page.waitForURL(`${t.baseUrl}/login`);
    await page.getByTestId('login-token').fill('not-the-token');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').getByText('this token is not valid').waitFor();
    await page.getByTestId('login-token').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${t.baseUrl}/`);
    await page.getByTestId('live-indicator').and(page.locator('[data-state="open"]')).waitFor({ timeout: 15_000 });

    // A simulated 1.6 charger (the client package, in-process) that starts what it is asked to start and
    // refuses GetConfiguration with a CALLERROR.
    const cp = t.charger('CP-LIVE', 'ocpp1.6');
    let transactionId = 0;
    cp.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => {
      setTimeout(() => {
        void cp.call('ocpp1.6', 'StartTransaction', { connectorId: params.connectorId ?? 1, idTag: params.idTag, meterStart: 10_000, timestamp: at(0) })
          .then((r) => (transactionId = r.transactionId));
      }, 10);
      return { status: 'Accepted' };
    });
    cp.handle('ocpp1.6', 'GetConfiguration', () => {
      throw new RpcError('NotSupported', 'no configuration here');
    });
    await cp.connect();
    await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
    await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: NOW() });
    await page.getByTestId('history-CP-LIVE').first().waitFor({ timeout: 15_000 });

    // The charger page: connectors, then a remote start from its command panel.
    await page.getByTestId('open-CP-LIVE').click();
    await page.waitForURL(`${t.baseUrl}/charger?id=CP-LIVE`);
    await page.getByTestId('connector-1').getByText('Preparing').waitFor({ timeout: 15_000 });
    await page.getByTestId('charger-summary').and(page.locator('[data-connected="true"]')).waitFor();
    await page.getByTestId('cmd-remote-start').click();
    await page.getByTestId('toast').getByText('Remote start: Accepted').waitFor({ timeout: 15_000 });
    const card = page.locator('[data-testid^="live-tx-"][data-charger="CP-LIVE"]');
    await card.waitFor({ timeout: 15_000 });
    expect(transactionId).toBeGreaterThan(0);

    // Meter values (power and energy register) make the chart gain points and the energy grow.
    const chart = page.getByTestId(`power-chart-${transactionId}`);
    await chart.waitFor();
    const pointsBefore = Number(await chart.getAttribute('data-points'));
    for (const [i, kw] of [7.2, 11, 10.4].entries()) {
      await cp.call('ocpp1.6', 'MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [{ timestamp: at(60 * (i + 1)), sampledValue: [
          { value: String(10_000 + 150 * (i + 1)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: String(kw), measurand: 'Power.Active.Import', unit: 'kW' },
        ] }],
      });
    }
    await eventually(async () => Number(await chart.getAttribute('data-points')) >= pointsBefore + 3, 15_000);
    await page.getByTestId(`energy-${transactionId}`).getByText('0.450 kWh').waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toContain('power: 10.4 kW');

    // The message log fills live in both directions, and a CALLERROR is highlighted.
    const log = page.getByTestId('message-log');
    await log.locator('tr[data-direction="in"]').filter({ hasText: 'MeterValues' }).first().waitFor({ timeout: 15_000 });
    await log.locator('tr[data-direction="out"]').filter({ hasText: 'RemoteStartTransaction' }).filter({ hasText: 'CALLRESULT' }).waitFor();
    await page.getByTestId('cmd-get-configuration').click();
    const failed = log.locator('tr[data-outcome="error"]').filter({ hasText: 'GetConfiguration' });
    await failed.waitFor({ timeout: 15_000 });
    await expect(failed.textContent()).resolves.toContain('CALLERROR NotSupported');
    await expect(failed.getAttribute('class')).resolves.toBe('log-error'); // highlighted by the stylesheet
    await page.getByTestId('toast').getByText('answered NotSupported').waitFor();

    // Back on the overview: the server charts have samples and the errors chart shows the code.
    await page.goto(t.baseUrl);
    await eventually(async () => Number(await page.getByTestId('chart-calls').getAttribute('data-points')) > 2, 15_000);
    await page.getByTestId('chart-errors').getByText('NotSupported').waitFor({ timeout: 15_000 });
    await page.getByTestId('chart-connections').waitFor();
    expect(pageErrors).toEqual([]);
    await cp.close();
  });
});
