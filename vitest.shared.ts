import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Shared test settings for every project. Workspace packages resolve to their TypeScript sources
 * through the `@chargewire/source` export condition, so tests never need a prior build.
 */
// No 'import' here: vitest forwards these to the worker as `node --conditions`, and a global 'import'
// condition makes Node resolve `require()` calls inside CommonJS dependencies (Express's router requiring
// is-promise) to ESM builds. Node and Vite add 'import' to ESM imports by themselves.
const conditions = ['@chargewire/source', 'node', 'default'];

const shared = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.spec.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The root test command adds up these reports into one closing line.
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
  },
});

/** Project config: the shared settings plus per-project overrides. */
export function defineProject(overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(shared, overrides);
}
