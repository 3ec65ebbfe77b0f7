#!/usr/bin/env node
// Checks (or with --local, rewrites) a package's committed API reports: one per public entry point, each
// configured by an api-extractor*.json in the package folder (api-extractor.json for the root entry point).
// Run from the package folder after `tsc -b`: API Extractor reads the built declarations in dist/.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const local = process.argv.includes('--local');
const dir = process.cwd();
const configs = readdirSync(dir).filter((name) => /^api-extractor(\..+)?\.json$/.test(name)).sort();
if (configs.length === 0) {
  console.error(`no api-extractor*.json in ${dir}`);
  process.exit(1);
}
mkdirSync(join(dir, 'api'), { recursive: true });

let failed = 0;
for (const name of configs) {
  const config = ExtractorConfig.loadFileAndPrepare(join(dir, name));
  const result = Extractor.invoke(config, { localBuild: local, showVerboseMessages: false });
  const report = config.reportConfigs[0]?.fileName ?? name;
  if (result.succeeded) {
    console.log(`${report}: ${result.apiReportChanged ? 'updated' : 'unchanged'}`);
  } else {
    failed++;
    console.error(
      result.apiReportChanged
        ? `${report}: the public API differs from the committed report; run \`npm run api:update\` in this package and commit api/`
        : `${report}: API Extractor reported ${result.errorCount} error(s) and ${result.warningCount} warning(s)`,
    );
  }
}
process.exit(failed === 0 ? 0 : 1);
