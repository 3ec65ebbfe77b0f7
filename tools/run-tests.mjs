#!/usr/bin/env node
// Runs every project's typecheck, lint, API report and test targets through Nx, then prints one closing line with the
// totals of all vitest runs ("N passed, N failed"), read from the JSON reports each run leaves behind
// (one per run: a project may run its suite more than once, e.g. the Redis adapter per ioredis major).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const projectDirs = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')));
const reportsOf = (dir) => {
  const reports = join(dir, '.reports');
  if (!existsSync(reports)) return [];
  return readdirSync(reports).filter((file) => file.endsWith('.json')).map((file) => join(reports, file));
};
for (const dir of projectDirs) for (const report of reportsOf(dir)) rmSync(report, { force: true });

// Two at a time: the machines this runs on have two cores, and several suites start servers and child processes.
const args = ['nx', 'run-many', '-t', 'typecheck', 'lint', 'api', 'test', '--outputStyle=stream', '--parallel=2', ...process.argv.slice(2)];
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of projectDirs.flatMap(reportsOf)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
const code = run.status ?? 1;
if (code !== 0 && failed === 0) failed = 1; // a failed typecheck or crashed run is a failure too
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code);
