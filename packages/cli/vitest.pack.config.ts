import { defineProject } from '../../vitest.shared.ts';

/**
 * The packaging test (build, npm pack, install the tarballs into a fresh project, npx chargewire): minutes,
 * not seconds, so it runs separately with `npm run test:pack`, not in `npm test`.
 */
export default defineProject({
  test: { include: ['pack/**/*.test.ts'], typecheck: { enabled: false }, testTimeout: 120_000, hookTimeout: 900_000 },
});
