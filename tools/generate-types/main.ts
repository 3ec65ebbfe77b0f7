/**
 * Generates packages/ocpp-types/src/generated and packages/ocpp-types/validators from the committed
 * official schemas in packages/ocpp-types/schemas.
 *
 *   tsx tools/generate-types/main.ts             write into packages/ocpp-types
 *   tsx tools/generate-types/main.ts --out DIR   write into another root
 *   tsx tools/generate-types/main.ts --check     write nothing; exit 1 when the committed output is stale
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFiles, listGenerated, writeFiles } from './generate.js';

const packageRoot = fileURLToPath(new URL('../../packages/ocpp-types', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outRoot = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]!) : packageRoot;

const started = performance.now();
const files = generateFiles(packageRoot);
const elapsed = `${Math.round(performance.now() - started)} ms`;

if (args.includes('--check')) {
  const stale = [...files].filter(([path, content]) => {
    const target = join(packageRoot, path);
    return !existsSync(target) || readFileSync(target, 'utf8') !== content;
  }).map(([path]) => path);
  const extra = listGenerated(packageRoot).filter((path) => !files.has(path));
  for (const path of stale) console.error(`stale or missing: ${path}`);
  for (const path of extra) console.error(`not generated any more: ${path}`);
  if (stale.length + extra.length > 0) {
    console.error('generated output is out of date: run `npm run generate`');
    process.exitCode = 1;
  } else {
    console.log(`generated output is up to date (${files.size} files, ${elapsed})`);
  }
} else {
  writeFiles(outRoot, files);
  console.log(`generated ${files.size} files into ${outRoot} in ${elapsed}`);
}
