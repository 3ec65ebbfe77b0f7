import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageRoot = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  files: string[];
};

describe('package layout', () => {
  it('exports ".", one subpath per protocol and the examples, each with source, types and default conditions', () => {
    for (const subpath of ['.', './ocpp1.6', './ocpp2.0.1', './ocpp2.1', './examples']) {
      const entry = manifest.exports[subpath];
      expect(entry, subpath).toBeTypeOf('object');
      const conditions = entry as Record<string, string>;
      expect(Object.keys(conditions)).toEqual(['@chargewire/source', 'types', 'default']);
      expect(existsSync(join(packageRoot, conditions['@chargewire/source']!)), subpath).toBe(true);
      expect(conditions['types']).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(conditions['default']).toMatch(/^\.\/dist\/.*\.js$/);
    }
  });

  it('packs validators with the formats module they require, schemas with their notice, the sources its maps name, and no tests', () => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageRoot, encoding: 'utf8' });
    const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
    const paths = pack!.files.map((f) => f.path);
    expect(paths.filter((p) => /\.test(-d)?\.|\.tsbuildinfo$|(^|\/)bench\//.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('validators/') && p.endsWith('.cjs'))).toHaveLength(387);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'runtime/formats.cjs', 'schemas/NOTICE.md', 'schemas/ocpp1_6.json',
      'schemas/ocpp2_0_1.json', 'schemas/ocpp2_1.json']));
    // The source and declaration maps in dist/ name ../src/*.ts: the sources ship with them (tests excluded above).
    expect(paths).toContain('src/index.ts');
  }, 60_000);
});
