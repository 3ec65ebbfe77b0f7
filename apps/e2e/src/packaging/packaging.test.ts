import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Scenario 5: the packages as npm users get them. Every public package is packed, the tarballs are
// installed into a fresh project outside the workspace, a strict TypeScript consumer is compiled against
// them and run, and the CLI's bin is started through npx.
const workspaceRoot = new URL('../../../../', import.meta.url).pathname;
const publicPackages = ['ocpp-types', 'rpc-core', 'server', 'client', 'redis-adapter', 'protocol-proxy', 'cli', 'smart-charging'];
const tsc = join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');

let project: string;

// `npm test` runs this file under npm, whose npm_* variables (the local prefix among them) would make
// the nested npm commands treat this app, not the workspace root, as the project.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'chargewire-consumer-'));
  const tarballs = join(project, 'tarballs');
  mkdirSync(tarballs);
  // The build target of this app depends on every package's build, so dist/ is fresh here.
  for (const name of publicPackages) {
    run('npm', ['pack', '--silent', '--pack-destination', tarballs, '--workspace', `@chargewire/${name}`], workspaceRoot);
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'chargewire-consumer', private: true, type: 'module' }, null, 2),
  );
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, '@types/node@^20.19.0'], project);
  copyFileSync(new URL('./consumer.fixture.ts', import.meta.url), join(project, 'consumer.ts'));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        noUncheckedIndexedAccess: true, verbatimModuleSyntax: true, types: ['node'], outDir: 'out', skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }, null, 2),
  );
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('packed packages in a fresh project', () => {
  // tsc over every package's declarations: tens of seconds on a busy two-core machine, beside the other packaging file.
  it('compiles a strict TypeScript consumer against the tarballs', () => {
    expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], project)).not.toThrow();
  }, 180_000);

  it('runs a server + client BootNotification round trip from the tarballs', () => {
    const output = run(process.execPath, [join(project, 'out', 'consumer.js')], project).trim();
    expect(JSON.parse(output)).toEqual({ protocol: 'ocpp1.6', status: 'Accepted', interval: 300 });
  });

  it('starts the CLI through npx', () => {
    const help = run('npx', ['--no-install', 'chargewire', '--help'], project);
    for (const command of ['simulate', 'bench', 'fuzz', 'check', 'proxy', 'serve', 'validate']) expect(help).toContain(command);
  });

  it('validates a payload with the packed schemas and exits 1 on a violation', () => {
    writeFileSync(join(project, 'authorize.json'), '{"idTag": 1}');
    const result = spawnSync('npx', ['--no-install', 'chargewire', 'validate', '-p', 'ocpp1.6', '-a', 'Authorize', 'authorize.json'], {
      cwd: project,
      env: cleanEnv,
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/TypeConstraintViolation\s+\/idTag/);
  });
});
