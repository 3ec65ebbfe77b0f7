import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

interface Manifest {
  name: string;
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|reference types=)['"]([^'"]+)['"]/g;

/** The module specifiers a declaration file imports, re-exports or references (comments left out, `///` kept). */
function specifiersOf(file: string): string[] {
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/(?!\/).*$/gm, '');
  return [...code.matchAll(SPECIFIER)].map((match) => match[1] ?? '');
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));

function declarationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The declaration files reachable from `entry` through relative imports. */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const specifier of specifiersOf(file)) {
      if (!specifier.startsWith('.')) continue;
      queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
    }
  }
  return seen;
}

/**
 * What is wrong with the bare imports of an installed package's declarations: a package it does not declare
 * (a consumer with `skipLibCheck: false` fails on it unless it happens to be installed), or an optional peer
 * reachable from the main entry point (every user would need it installed, not only those of that feature).
 */
export function declarationImportProblems(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;
  const optional = new Set(Object.entries(manifest.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional).map(([name]) => name));
  const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  // `@types/x` provides the types of `x` (and `reference types="node"` names @types/node).
  const provides = (name: string): boolean => declared.has(name) || declared.has(`@types/${name.replace('@', '').replace('/', '__')}`);
  const mainEntry = closure(join(packageDir, manifest.types ?? 'dist/index.d.ts'));
  const problems: string[] = [];
  for (const file of declarationFiles(packageDir)) {
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith('.')) continue;
      // Node's modules (and `reference types="node"`) come from @types/node.
      const name = specifier === 'node' || isBuiltin(specifier) ? 'node' : packageOf(specifier);
      const where = `${manifest.name}/${relative(packageDir, file)}`;
      if (!provides(name)) problems.push(`${where} imports ${specifier}, which ${manifest.name} does not depend on`);
      else if (optional.has(name) && mainEntry.has(file)) problems.push(`${where} (main entry point) imports the optional peer ${name}`);
    }
  }
  return problems;
}
