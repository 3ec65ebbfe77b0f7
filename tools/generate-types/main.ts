/**
 * Generates packages/ocpp-types/src/generated and packages/ocpp-types/validators from the committed
 * official schemas in packages/ocpp-types/schemas.
 *
 *   tsx tools/generate-types/main.ts [--out <dir>]
 *
 * `--out` writes into another root (the freshness test uses a temporary directory).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFiles, writeFiles } from './generate.js';

const packageRoot = fileURLToPath(new URL('../../packages/ocpp-types', import.meta.url));
const outIndex = process.argv.indexOf('--out');
const outRoot = outIndex >= 0 && process.argv[outIndex + 1] ? resolve(process.argv[outIndex + 1]!) : packageRoot;

const started = performance.now();
const files = generateFiles(packageRoot);
writeFiles(outRoot, files);
console.log(`generated ${files.size} files into ${outRoot} in ${Math.round(performance.now() - started)} ms`);
