import { defineConfig } from 'vitest/config';

/**
 * The packaging test (build, npm pack, install the tarballs into a fresh project, npx chargewire): minutes,
 * not seconds, so it runs separately with `npm run test:pack`, not in `npm test`. Its own config (not the
 * shared one, whose include list would be merged in) so only `pack/` runs.
 */
export default defineConfig({
  test: { include: ['pack/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 900_000, pool: 'forks' },
});
