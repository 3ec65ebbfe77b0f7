import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium, which CI installs; a machine without it skips the browser tests. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless flags for a machine with no network: without the background-networking ones Chromium keeps
 * trying (and failing) to reach its own services.
 */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Whether chromium is installed; warns once for `suite` when it is not. */
export function chromiumAvailable(suite: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available) console.warn(`${suite} skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
  return available;
}

/** A browser context on a fresh user-data-dir (nothing from an earlier run leaks in); `dispose` removes it. */
export interface HeadlessBrowser {
  context: BrowserContext;
  dispose(): Promise<void>;
}

/** Launches headless chromium with a new profile directory named after `prefix`. */
export async function launchHeadlessChromium(prefix: string): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  return {
    context,
    async dispose() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
