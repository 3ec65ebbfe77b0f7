import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT_FAILURES, EXIT_OK, UsageError } from '../../exitCodes.js';
import { nonNegativeNumber, positiveInt } from '../../format.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { PROTOCOL_CHOICES } from '../../protocols.js';
import { fuzzCategories, runFuzz, type CategoryResult, type FuzzReport } from './runFuzz.js';
import { schemaCategories } from './schemaCategories.js';

interface FuzzFlags {
  endpoint: string;
  protocol: string;
  seed?: number;
  runs: number;
  only?: string;
  path?: string;
  deadline: number;
  schema: boolean;
  json?: boolean;
  password?: string;
}

/** `chargewire fuzz`: malformed and boundary frames judged against what the spec requires back. */
export function fuzzCommand(ctx: CommandContext): Command {
  return new Command('fuzz')
    .description('send fast-check generated malformed and boundary frames and report every deviation from OCPP-J')
    .requiredOption('-e, --endpoint <url>', 'ws://host/path/ID of the CSMS')
    .addOption(new Option('-p, --protocol <name>', 'OCPP subprotocol').choices(PROTOCOL_CHOICES).default('ocpp1.6'))
    .option('--seed <n>', 'fast-check seed (printed in every report, to replay a run)', integer)
    .option('--runs <n>', 'frames per category', positiveInt('--runs'), 30)
    .option('--only <categories>', 'comma-separated category names (see the list below)')
    .option('--path <path>', 'replay path of a reported deviation (with --seed and one --only category)')
    .option('--deadline <ms>', 'how long to wait for a required answer', nonNegativeNumber('--deadline'), 2000)
    .option('--no-schema', 'skip the schema-boundary payload categories')
    .option('--password <password>', 'Basic-auth password (security profile 1/2)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      () =>
        `\nCategories:\n${[...fuzzCategories('ocpp2.0.1'), ...schemaCategories('ocpp1.6')].map((c) => `  ${c.name.padEnd(18)} ${c.summary}`).join('\n')}\n` +
        '\nExample:\n  chargewire fuzz --endpoint ws://localhost:9000/ocpp/FUZZ --protocol ocpp2.0.1 --seed 42 --runs 50\n',
    )
    .action(async (flags: FuzzFlags) => {
      const endpoint = parseEndpoint(flags.endpoint);
      const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
      if (flags.path && only?.length !== 1) throw new UsageError('--path replays one category: give exactly one --only category');
      const extra = flags.schema ? schemaCategories(flags.protocol) : [];
      const names = new Set([...fuzzCategories(flags.protocol), ...schemaCategories(flags.protocol)].map((c) => c.name));
      for (const name of only ?? []) if (!names.has(name)) throw new UsageError(`unknown fuzz category '${name}'`);
      const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
      const report = await runFuzz({
        seed,
        url: endpoint.url,
        protocol: flags.protocol,
        runs: flags.runs,
        deadlineMs: flags.deadline,
        extraCategories: extra,
        ...(flags.password !== undefined ? { password: flags.password } : {}),
        ...(only ? { only } : {}),
        ...(flags.path ? { path: flags.path } : {}),
        ...(flags.json ? {} : { onCategory: (r: CategoryResult) => ctx.io.out(renderCategory(r, flags, seed)) }),
      });
      ctx.io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderSummary(report, flags));
      ctx.setExitCode(report.deviations > 0 ? EXIT_FAILURES : EXIT_OK);
    });
}

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`--seed must be an integer, got '${text}'`);
  return value;
}

function renderCategory(r: CategoryResult, flags: FuzzFlags, seed: number): string {
  if (r.skipped) return `skip  ${r.name.padEnd(18)} ${r.skipped}\n`;
  if (!r.deviation) return `ok    ${r.name.padEnd(18)} ${r.runs} frames\n`;
  const d = r.deviation;
  return [
    `FAIL  ${r.name.padEnd(18)} ${d.message}`,
    `      reproducer: ${d.frame}`,
    `      expected:   ${d.expected}`,
    `      got:        ${d.actual}`,
    `      replay:     chargewire fuzz --endpoint ${flags.endpoint} --protocol ${flags.protocol} --only ${r.name} --seed ${seed} --runs ${flags.runs} --path ${d.path}`,
    '',
  ].join('\n');
}

function renderSummary(report: FuzzReport, flags: FuzzFlags): string {
  const lines: string[] = [];
  if (report.crash) lines.push(`CRASH ${report.crash.message}`, `      last frame: ${report.crash.lastFrame ?? '(none)'}`);
  lines.push(
    `${report.deviations === 0 ? 'no deviations' : `${report.deviations} deviation(s)`} — ${report.framesSent} frames, ${report.protocol}, seed ${report.seed}` +
      (report.deviations > 0 ? ` (replay with --seed ${report.seed}${flags.runs !== 30 ? ` --runs ${flags.runs}` : ''})` : ''),
  );
  return `${lines.join('\n')}\n`;
}
