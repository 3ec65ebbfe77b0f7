/**
 * The published shape: `npm pack` the CLI and its workspace dependencies, install the tarballs into a
 * fresh project (third-party dependencies come from the registry) and run the `chargewire` bin with npx.
 * Slow (build + pack + install): allow a few minutes on a loaded machine.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..'); // packages/cli/pack → repository root
const PACKAGES = ['ocpp-types', 'rpc-core', 'server', 'client', 'protocol-proxy', 'cli'];

describe('npx chargewire from packed tarballs', () => {
  let dir: string;
  let project: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cw-pack-'));
    project = join(dir, 'project');
    // Builds the CLI and every package it depends on (cached by Nx when unchanged).
    await run('npx', ['nx', 'run', '@chargewire/cli:build', '--outputStyle=static'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' }, maxBuffer: 64 << 20 });
    for (const name of PACKAGES) {
      await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: join(root, 'packages', name), maxBuffer: 64 << 20 });
    }
    const tarballs = (await readdir(dir)).filter((f) => f.endsWith('.tgz')).map((f) => join(dir, f));
    expect(tarballs).toHaveLength(PACKAGES.length);
    await run('mkdir', ['-p', project]);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'cw-consumer', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], { cwd: project, maxBuffer: 64 << 20 });
  }, 600_000);

  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('runs chargewire --help', async () => {
    const { stdout } = await run('npx', ['--no-install', 'chargewire', '--help'], { cwd: project });
    for (const name of ['simulate', 'proxy', 'serve', 'check', 'fuzz', 'bench', 'validate']) expect(stdout).toContain(name);
  }, 60_000);

  it('validates a payload with the packed schemas and exits 1 on violations', async () => {
    const file = join(project, 'auth.json');
    await writeFile(file, '{"idTag": 1}');
    const error = await run('npx', ['--no-install', 'chargewire', 'validate', '-p', 'ocpp1.6', '-a', 'Authorize', file], { cwd: project }).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(error?.code).toBe(1);
    expect(error?.stdout).toMatch(/TypeConstraintViolation\s+\/idTag/);
  }, 60_000);
});
