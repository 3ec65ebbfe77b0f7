import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitActionTable } from './emitActionTable.js';
import { emitProtocolTypes } from './emitTypes.js';
import { emitValidators } from './emitValidators.js';
import { PROTOCOL_DESCRIPTORS } from './protocols.js';
import { buildProtocolModel, readSchemaBundle, type ProtocolModel } from './schemaModel.js';

/** Directories (relative to the package root) that the generator owns completely. */
export const GENERATED_DIRS = ['src/generated', 'validators'] as const;

/** Builds the models of all protocols from the committed schema copies in `<packageRoot>/schemas`. */
export function loadModels(packageRoot: string): ProtocolModel[] {
  const schemaDir = join(packageRoot, 'schemas');
  return PROTOCOL_DESCRIPTORS.map((d) => buildProtocolModel(d, readSchemaBundle(schemaDir, d)));
}

/** Every generated file, keyed by path relative to the package root. Pure: writes nothing. */
export function generateFiles(packageRoot: string): Map<string, string> {
  const models = loadModels(packageRoot);
  const files = new Map<string, string>();
  for (const model of models) {
    files.set(`src/generated/${model.descriptor.module}.ts`, emitProtocolTypes(model));
    for (const [path, content] of emitValidators(model)) files.set(path, content);
  }
  files.set('src/generated/actionTable.ts', emitActionTable(models));
  return files;
}

/** Replaces the generated directories under `outRoot` with `files` (stale files disappear). */
export function writeFiles(outRoot: string, files: ReadonlyMap<string, string>): void {
  for (const dir of GENERATED_DIRS) rmSync(join(outRoot, dir), { recursive: true, force: true });
  for (const [path, content] of files) {
    const target = join(outRoot, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Lists the files under the generated directories of `root`, relative to it, sorted. */
export function listGenerated(root: string): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  for (const dir of GENERATED_DIRS) walk(dir);
  return found.sort();
}
