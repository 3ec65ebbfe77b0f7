import { defineProject } from '../../vitest.shared.ts';

/**
 * The peer range is `ioredis ^5 || ^6`, so the suite runs twice: `vitest run` against ioredis 5 and
 * `vitest run --mode ioredis6` against ioredis 6 (the root devDependency alias `ioredis6`). In that mode Vite maps
 * the `ioredis` import of every test and source file, and a Node resolve hook (inherited through NODE_OPTIONS)
 * does the same for the cluster-node processes the fault tests spawn.
 */
export default ({ mode }: { mode: string }) => {
  if (mode !== 'ioredis6') return defineProject();
  const hook = new URL('./test/ioredis6.register.mjs', import.meta.url).href;
  process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --import=${hook}`.trim();
  process.env['CHARGEWIRE_IOREDIS_MAJOR'] = '6';
  const config = defineProject({ resolve: { alias: [{ find: /^ioredis$/, replacement: 'ioredis6' }] } });
  return {
    ...config,
    test: {
      ...config.test,
      name: 'ioredis 6',
      typecheck: { enabled: false },
      reporters: ['default', ['json', { outputFile: '.reports/vitest-ioredis6.json' }]],
    },
  };
};
