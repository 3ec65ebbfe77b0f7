import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @chargewire/smart-charging as an npm user installs it without the rest of chargewire: only its own
// tarball and the one of the package it depends on (ocpp-types), in a fresh project outside the workspace.
const workspaceRoot = new URL('../../../../', import.meta.url).pathname;
const tsc = join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
let project: string;

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: err });
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'chargewire-smart-alone-'));
  const tarballs = join(project, 'tarballs');
  mkdirSync(tarballs);
  for (const name of ['smart-charging', 'ocpp-types']) {
    run('npm', ['pack', '--silent', '--pack-destination', tarballs, '--workspace', `@chargewire/${name}`], workspaceRoot);
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'smart-charging-consumer', private: true, type: 'module' }, null, 2));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], project);
  copyFileSync(new URL('./smartChargingConsumer.fixture.ts', import.meta.url), join(project, 'consumer.ts'));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        noUncheckedIndexedAccess: true, verbatimModuleSyntax: true, outDir: 'out', skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }, null, 2),
  );
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('@chargewire/smart-charging installed alone from its tarball', () => {
  it('brings no chargewire package but ocpp-types', () => {
    const installed = readdirSync(join(project, 'node_modules', '@chargewire')).sort();
    expect(installed).toEqual(['ocpp-types', 'smart-charging']);
  });

  it('compiles a strict consumer and runs allocation, profile building and the engine', () => {
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    const output = JSON.parse(run(process.execPath, [join(project, 'out', 'consumer.js')], project).trim()) as { watts: number[]; valid: boolean; limits: number[] };
    expect(output.watts).toEqual([10_000, 10_000, 10_000]);
    expect(output.valid).toBe(true);
    // 10 kW over three phases at 230 V is 14.49 A, sent rounded down.
    expect(output.limits).toEqual([14.4, 14.4, 14.4]);
  }, 180_000);
});
