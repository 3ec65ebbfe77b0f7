import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '../support/paths.js';

/** The packages npm users get. */
export const publicPackages = ['ocpp-types', 'rpc-core', 'server', 'client', 'redis-adapter', 'protocol-proxy', 'cli', 'smart-charging'] as const;

/**
 * TypeScript versions the published declarations must compile with, installed side by side in the scratch
 * project under aliases. 5.9 still loads every `@types/*` package by itself; 6.0 and 7 (the native compiler,
 * what `npm install typescript` gives now) load none unless asked.
 */
export const typescriptVersions = { '5.9': 'npm:typescript@~5.9.3', '6.0': 'npm:typescript@~6.0.3', '7': 'npm:typescript@^7.0.2' } as const;
export type TypeScriptVersion = keyof typeof typescriptVersions;
export const tsAlias = (version: TypeScriptVersion): string => `typescript-${version.replace('.', '-')}`;

// `npm test` runs the suite under npm, whose npm_* variables (the local prefix among them) would make the
// nested npm commands treat this app, not the workspace root or the scratch project, as the project.
export const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

/** Runs a command, returning stdout; on failure the error carries stdout and stderr. */
export function run(command: string, args: string[], cwd: string, options: { input?: string; timeoutMs?: number } = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      env: cleanEnv,
      encoding: 'utf8',
      input: options.input,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: err });
  }
}

const execFileAsync = promisify(execFile);

/** The asynchronous twin of {@link run}, for npm commands that may run side by side. */
export async function runAsync(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env: cleanEnv, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: err });
  }
}

/** Packs every public package (built: the e2e build target depends on every package's build) in one npm run. */
export function packTarballs(destination: string): Map<string, string> {
  mkdirSync(destination, { recursive: true });
  const workspaces = publicPackages.flatMap((name) => ['--workspace', `@chargewire/${name}`]);
  run('npm', ['pack', '--silent', '--pack-destination', destination, ...workspaces], workspaceRoot);
  const tarballs = new Map<string, string>();
  for (const file of readdirSync(destination)) {
    const name = publicPackages.find((pkg) => file === `chargewire-${pkg}-${readVersion(pkg)}.tgz`);
    if (name) tarballs.set(`@chargewire/${name}`, join(destination, file));
  }
  if (tarballs.size !== publicPackages.length) throw new Error(`expected ${publicPackages.length} tarballs, found ${[...tarballs.keys()].join(', ')}`);
  return tarballs;
}

function readVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(workspaceRoot, 'packages', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The workspace's own version of a dev tool, so the scratch project gets the one the repository tests with. */
export function workspaceVersionOf(name: string): string {
  const manifest = join(workspaceRoot, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) throw new Error(`${name} is not installed in the workspace`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * The manifest of a fresh project outside the workspace. With `overrides`, every `@chargewire/*` dependency,
 * direct or transitive, comes from its tarball, as if the packages had been published (npm accepts an override
 * of a direct dependency only with the same spec, hence the relative `file:` specs of {@link installArgs}).
 */
export function writeConsumerManifest(dir: string, tarballs?: ReadonlyMap<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = { name: 'chargewire-consumer', private: true, type: 'module' };
  if (tarballs) manifest['overrides'] = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${relative(dir, file)}`]));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/** npm install arguments run in `dir`: `@chargewire/*` names become their tarballs (relative paths). */
export function installArgs(dir: string, packages: readonly string[], tarballs: ReadonlyMap<string, string>): string[] {
  return packages.map((name) => {
    const tarball = tarballs.get(name);
    if (name.startsWith('@chargewire/') && !tarball) throw new Error(`no tarball for ${name}`);
    return tarball ? relative(dir, tarball) : name;
  });
}
