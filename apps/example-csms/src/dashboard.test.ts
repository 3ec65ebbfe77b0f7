import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RpcError } from '@chargewire/rpc-core';
import { NOW, startTestCsms, TEST_ADMIN_TOKEN, type TestCsms } from './testing/harness.fixture.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from './testing/headlessChromium.fixture.js';

const hasChromium = chromiumAvailable('dashboard test');

describe.skipIf(!hasChromium)('dashboard in a headless browser', { timeout: 60_000 }, () => {
  let t: TestCsms;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestCsms();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** Opens the dashboard: an anonymous visit lands on the login page, the admin token leads back. */
  async function logIn(page: Page): Promise<void> {
    await page.goto(t.baseUrl);
    await page.waitForURL(`${t.baseUrl}/login`);
    await page.getByTestId('login-token').fill(TEST_ADMIN_TOKEN);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${t.baseUrl}/`);
  }

  it('lists chargers, updates live, and remote starts / stops from its buttons', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await logIn(page);
    await page.getByTestId('live-indicator').and(page.locator('[data-state="open"]')).waitFor({ timeout: 15_000 });

    // A charger connecting after the page loaded shows up without a reload (Server-Sent Events).
    const cp = t.charger('CP-DASH', 'ocpp1.6');
    let transactionId = 0;
    cp.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => {
      // Behave like a charger: accept, then start the transaction.
      setTimeout(() => {
        void cp.call('ocpp1.6', 'StartTransaction', { connectorId: params.connectorId ?? 1, idTag: params.idTag, meterStart: 0, timestamp: NOW() })
          .then((r) => (transactionId = r.transactionId));
      }, 10);
      return { status: 'Accepted' };
    });
    cp.handle('ocpp1.6', 'RemoteStopTransaction', ({ params }) => {
      setTimeout(() => void cp.call('ocpp1.6', 'StopTransaction', { transactionId: params.transactionId, meterStop: 4200, timestamp: NOW(), reason: 'Remote' }), 10);
      return { status: 'Accepted' };
    });
    await cp.connect();
    await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
    await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: NOW() });

    const row = page.getByTestId('charger-CP-DASH');
    await row.and(page.locator('[data-connected="true"]')).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('connector-CP-DASH-1').textContent()).resolves.toBe('1: Available');
    await expect(row.textContent()).resolves.toContain('ocpp1.6');

    // Remote start from the button reaches the charger; the live transaction appears.
    await page.getByTestId('start-CP-DASH').click();
    await page.getByTestId('toast').getByText('Remote start on CP-DASH: Accepted').waitFor({ timeout: 15_000 });
    const liveRow = page.locator('[data-testid^="live-tx-"][data-charger="CP-DASH"]');
    await liveRow.waitFor({ timeout: 15_000 });
    expect(transactionId).toBeGreaterThan(0);
    await expect(liveRow.textContent()).resolves.toContain('DEMO-TAG-1');

    // Meter values update the energy cell live.
    await cp.call('ocpp1.6', 'MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: NOW(), sampledValue: [{ value: '1234' }] }] });
    await page.getByTestId(`energy-${transactionId}`).getByText('1.234 kWh').waitFor({ timeout: 15_000 });

    // Remote stop from the button; the transaction moves to the recent list.
    await page.getByTestId(`stop-${transactionId}`).click();
    await page.getByTestId(`recent-tx-${transactionId}`).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId(`recent-tx-${transactionId}`).textContent()).resolves.toContain('4.200 kWh');
    await liveRow.waitFor({ state: 'detached', timeout: 15_000 });

    // A disconnect is shown live as well.
    await cp.close();
    await row.and(page.locator('[data-connected="false"]')).waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });

  it('disables start for offline chargers and shows the error of a failed command', async () => {
    await t.api('POST', '/api/v1/chargers', { id: 'CP-OFFLINE' });
    const cp = t.charger('CP-ERR', 'ocpp1.6');
    cp.handle('ocpp1.6', 'RemoteStartTransaction', () => {
      throw new RpcError('NotSupported', 'remote start disabled');
    });
    await cp.connect();
    const page = await browser.newPage();
    await logIn(page);
    await page.getByTestId('charger-CP-OFFLINE').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('start-CP-OFFLINE').isDisabled()).resolves.toBe(true);
    // A Pending charger can be accepted from the page.
    await t.api('POST', '/api/v1/chargers', { id: 'CP-WAIT', registrationStatus: 'Pending' });
    await page.getByTestId('accept-CP-WAIT').click();
    await page.getByTestId('accept-CP-WAIT').waitFor({ state: 'detached', timeout: 15_000 });
    expect((await t.api<{ registrationStatus: string }>('GET', '/api/v1/chargers/CP-WAIT')).body.registrationStatus).toBe('Accepted');

    await page.getByTestId('start-CP-ERR').click();
    await page.getByTestId('toast').getByText('Remote start on CP-ERR failed: charger CP-ERR answered NotSupported').waitFor({ timeout: 15_000 });
  });
});
