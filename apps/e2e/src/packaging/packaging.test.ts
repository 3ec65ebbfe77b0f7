import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../support/paths.js';
import { declarationImportProblems } from './declarationImports.js';
import { cliInvocations, invocationProblems, parseHelp, type CommandHelp } from './cliLines.js';
import {
  cleanEnv,
  installArgs,
  packTarballs,
  publicPackages,
  run,
  runAsync,
  tsAlias,
  typescriptVersions,
  workspaceVersionOf,
  writeConsumerManifest,
  type TypeScriptVersion,
} from './consumerProject.js';
import { blockFileName, codeBlocks, installedPackages, isTypeScript, shellLines, tsMode, type CodeBlock } from './readmeBlocks.js';

// Scenario 5: the packages as npm users get them. Every public package is packed and the tarballs are installed
// into a fresh project outside the workspace, beside TypeScript 5.9, 6.0 and 7. There the published declarations,
// a strict consumer and every README example are compiled (under each TypeScript), the runnable examples and a
// server + client round trip are run, the CLI's bin is started, and every documented `npm install` line is resolved
// in a project of its own. Finally the release steps are dry-run in the workspace.

const readmes = [
  join(workspaceRoot, 'README.md'),
  ...['packages', 'apps'].flatMap((group) =>
    readdirSync(join(workspaceRoot, group))
      .map((name) => join(workspaceRoot, group, name, 'README.md'))
      .filter((file) => existsSync(file)),
  ),
];
const blocks: CodeBlock[] = readmes.flatMap((file) => codeBlocks(workspaceRoot, file));
const tsBlocks = blocks.filter(isTypeScript);
const compiledBlocks = tsBlocks.filter((block) => ['run', 'compile-only'].includes(tsMode(block)));
const runnableBlocks = tsBlocks.filter((block) => tsMode(block) === 'run');
const workspaceBlocks = tsBlocks.filter((block) => tsMode(block) === 'workspace');

/** Every entry point of the public packages; each gets a consumer file that imports only it. */
const entryPoints = [
  '@chargewire/ocpp-types',
  '@chargewire/ocpp-types/ocpp1.6',
  '@chargewire/ocpp-types/ocpp2.0.1',
  '@chargewire/ocpp-types/ocpp2.1',
  '@chargewire/ocpp-types/examples',
  '@chargewire/rpc-core',
  '@chargewire/rpc-core/internal',
  '@chargewire/server',
  '@chargewire/server/testing',
  '@chargewire/client',
  '@chargewire/redis-adapter',
  '@chargewire/protocol-proxy',
  '@chargewire/cli',
  '@chargewire/smart-charging',
];
const entryFile = (entry: string): string => `entries/${entry.replace('@chargewire/', '').replace(/[/.]/g, '-')}.ts`;

const strictOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
};

let scratch: string;
let project: string;
let tarballs: Map<string, string>;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'chargewire-consumer-'));
  // The build target of this app depends on every package's build, so dist/ is fresh here.
  tarballs = packTarballs(join(scratch, 'tarballs'));
  project = join(scratch, 'project');
  writeConsumerManifest(project);
  const typescripts = Object.entries(typescriptVersions).map(([version, spec]) => `${tsAlias(version as TypeScriptVersion)}@${spec}`);
  // What the README examples use besides the packages (ioredis unpinned: npm picks the current major), and
  // vitest for `@chargewire/server/testing`.
  const extras = ['ioredis', '@types/redis-errors', 'express', '@types/express', `vitest@${workspaceVersionOf('vitest')}`];
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...installArgs(project, [...tarballs.keys()], tarballs), ...extras, ...typescripts], project);

  copyFileSync(new URL('./consumer.fixture.ts', import.meta.url), join(project, 'consumer.ts'));
  mkdirSync(join(project, 'entries'));
  for (const entry of entryPoints) {
    writeFileSync(join(project, entryFile(entry)), `import type * as entry from '${entry}';\nexport type Entry = typeof entry;\n`);
  }
  mkdirSync(join(project, 'readme'));
  for (const block of compiledBlocks) {
    // `export {}` keeps every example a module of its own, whatever it imports.
    writeFileSync(join(project, 'readme', blockFileName(block)), `// ${block.source}:${block.line}\n${block.code}export {};\n`);
  }
  // The examples use Node's globals (process, console) as any Node project does, hence `types: ['node']`.
  const files = ['consumer.ts', ...entryPoints.map(entryFile), ...compiledBlocks.map((block) => `readme/${blockFileName(block)}`)];
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strictOptions, types: ['node'], outDir: 'out', rootDir: '.' }, files }, null, 2));
  // A project that imports only rpc-core and declares no `types`: it must still get Node's types from the package.
  writeFileSync(
    join(project, 'tsconfig.rpc-core.json'),
    JSON.stringify({ compilerOptions: { ...strictOptions, noEmit: true }, files: [entryFile('@chargewire/rpc-core')] }, null, 2),
  );
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const tsc = (version: TypeScriptVersion, args: string[]): string =>
  run(process.execPath, [join(project, 'node_modules', tsAlias(version), 'bin', 'tsc'), ...args], project);

describe('published types', () => {
  it('finds the README TypeScript examples and knows every block flag', () => {
    expect(runnableBlocks.length).toBeGreaterThanOrEqual(8);
    expect(compiledBlocks.length).toBeGreaterThan(runnableBlocks.length);
  });

  // 6.0 (the repository's own) emits the JavaScript the run tests below execute.
  for (const version of ['6.0', '5.9', '7'] as const) {
    it(`compile with TypeScript ${version}: every entry point, a strict consumer and the README examples (skipLibCheck off)`, () => {
      const installed = tsc(version, ['--version']).trim();
      expect(installed).toContain(`Version ${version}`);
      expect(() => tsc(version, ['-p', 'tsconfig.json', ...(version === '6.0' ? [] : ['--noEmit'])])).not.toThrow();
    }, 240_000);
  }

  // TypeScript 6.0 behaves the same here (no automatic @types); 7 checks it in a fraction of the time.
  it('compile with TypeScript 7 in a project that imports only rpc-core and sets no types', () => {
    expect(() => tsc('7', ['-p', 'tsconfig.rpc-core.json'])).not.toThrow();
  }, 240_000);

  it('import only what their package declares, and no optional peer from a main entry point', () => {
    const problems = publicPackages.flatMap((name) => declarationImportProblems(join(project, 'node_modules', '@chargewire', name)));
    expect(problems).toEqual([]);
  });

  it('ship the sources every source map and declaration map names', () => {
    const missing: string[] = [];
    let maps = 0;
    for (const name of publicPackages) {
      const root = join(project, 'node_modules', '@chargewire', name);
      for (const map of walk(root).filter((file) => file.endsWith('.map'))) {
        maps++;
        const { sources, sourceRoot = '' } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourceRoot?: string };
        for (const source of sources) {
          const file = resolve(dirname(map), sourceRoot, source);
          if (!file.startsWith(root) || !existsSync(file)) missing.push(`${map.slice(project.length + 1)} → ${source}`);
        }
      }
    }
    expect(maps).toBeGreaterThan(100);
    expect(missing.slice(0, 10)).toEqual([]);
  });
});

describe('README examples and the packed packages at run time', () => {
  it('runs a server + client BootNotification round trip from the tarballs', () => {
    const output = run(process.execPath, [join(project, 'out', 'consumer.js')], project).trim();
    expect(JSON.parse(output)).toEqual({ protocol: 'ocpp1.6', status: 'Accepted', interval: 300 });
  });

  it('runs every runnable README example to a clean exit', () => {
    const failures: string[] = [];
    for (const block of runnableBlocks) {
      const script = join(project, 'out', 'readme', blockFileName(block).replace(/\.ts$/, '.js'));
      const result = spawnSync(process.execPath, [script], { cwd: project, env: cleanEnv, encoding: 'utf8', timeout: 30_000 });
      if (result.status !== 0) failures.push(`${block.source}:${block.line} exited ${result.status ?? result.signal}: ${result.stderr.slice(-1500)}`);
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('runs the examples of the private apps inside the repository (TypeScript sources)', () => {
    expect(workspaceBlocks.length).toBeGreaterThan(0);
    for (const block of workspaceBlocks) {
      const dir = join(workspaceRoot, dirname(block.source));
      // Relative imports are written from the README's directory.
      const code = block.code.replace(/from '(\.{1,2}\/[^']+)'/g, (_, path: string) => `from '${join(dir, path)}'`);
      const file = join(scratch, blockFileName(block).replace(/\.ts$/, '.mts')); // ESM: the examples use top-level await
      writeFileSync(file, `${code}export {};\n`);
      expect(() => run(process.execPath, ['--import', 'tsx', '--conditions=@chargewire/source', file], workspaceRoot, { timeoutMs: 60_000 })).not.toThrow();
    }
  }, 120_000);

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

  it('README command lines use only options the packed CLI knows, and synopses show its defaults', () => {
    const bin = join(project, 'node_modules', '@chargewire', 'cli', 'bin', 'chargewire.js');
    const helps = new Map<string, CommandHelp>();
    const problems: string[] = [];
    let checked = 0;
    for (const block of blocks) {
      for (const line of shellLines(block)) {
        for (const invocation of cliInvocations(line)) {
          let help = helps.get(invocation.command);
          if (!help) {
            help = parseHelp(run(process.execPath, [bin, invocation.command, '--help'], project));
            helps.set(invocation.command, help);
          }
          checked++;
          problems.push(...invocationProblems(invocation, help).map((problem) => `${block.source}:${block.line}: ${problem}`));
        }
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('documented install lines', () => {
  it('the `npm install` lines of every README block resolve together in a fresh project (tarballs for @chargewire/*)', async () => {
    // A reader runs a block's install lines one after the other in one project: install their union once.
    const byPackages = new Map<string, { where: string; packages: string[] }>();
    for (const block of blocks) {
      const packages = [...new Set(shellLines(block).flatMap((line) => installedPackages(line) ?? []))].sort();
      if (packages.length > 0 && !byPackages.has(packages.join(' '))) byPackages.set(packages.join(' '), { where: `${block.source}:${block.line}`, packages });
    }
    const lines = [...byPackages.values()];
    expect(lines.some(({ packages }) => ['@chargewire/redis-adapter', '@chargewire/server', 'ioredis'].every((name) => packages.includes(name)))).toBe(true);
    // Lock-only: resolving the tree without downloading it again;
    // --prefer-offline: the consumer install above has just fetched the registry's metadata.
    const failures = await Promise.all(
      lines.map(async ({ where, packages }, i) => {
        const dir = join(scratch, 'install-lines', String(i));
        writeConsumerManifest(dir, tarballs);
        const args = ['install', '--package-lock-only', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...installArgs(dir, packages, tarballs)];
        // A fresh install accepts a peer its range refuses (ioredis 6 beside a `^5` peer) and only a later install
        // in that project fails with ERESOLVE; `npm ls` reports the refused peer as invalid at once.
        return runAsync('npm', args, dir)
          .then(() => runAsync('npm', ['ls', '--all', '--package-lock-only'], dir))
          .then(
            () => undefined,
            (err: Error) => `${where} npm install ${packages.join(' ')}: ${err.message.slice(-1500)}`,
          );
      }),
    );
    expect(failures.filter(Boolean)).toEqual([]);
  }, 300_000);
});

describe('releasing', () => {
  it('changeset status accepts the pending changesets', () => {
    const hasMain = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'main'], { cwd: workspaceRoot }).status === 0;
    // Without a local main branch (a detached CI checkout) only the changesets themselves are checked.
    expect(() => run('npx', ['changeset', 'status', ...(hasMain ? [] : ['--since=HEAD'])], workspaceRoot)).not.toThrow();
  }, 120_000);

  it('npm publish --dry-run succeeds for every public package', () => {
    const workspaces = publicPackages.flatMap((name) => ['--workspace', `@chargewire/${name}`]);
    const output = run('npm', ['publish', '--dry-run', ...workspaces], workspaceRoot);
    for (const name of publicPackages) expect(output).toContain(`+ @chargewire/${name}@`);
  }, 180_000);
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
