import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT_FAILURES, EXIT_OK, UsageError } from '../../exitCodes.js';
import { nonNegativeNumber, positiveInt } from '../../format.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { readTlsFlags, withTlsOptions, type TlsFlags } from '../../net/tlsFiles.js';
import { PROTOCOL_CHOICES } from '../../protocols.js';
import { fuzzCategories, type FuzzDirection } from './categories.js';
import { endpointSource } from './endpointSource.js';
import type { ConnectionSource } from './harness.js';
import { listenForCharger } from './listenSource.js';
import { runFuzz, type CategoryResult, type Finding, type FuzzReport } from './runFuzz.js';

interface FuzzFlags extends TlsFlags {
  endpoint?: string;
  listen?: number;
  host: string;
  protocol: string;
  seed?: number;
  runs: number;
  duration: number;
  connections: number;
  only?: string;
  path?: string;
  deadline: number;
  grace: number;
  json?: boolean;
  password?: string;
}

/** `chargewire fuzz`: schema-generated and malformed frames judged against what OCPP-J requires back. */
export function fuzzCommand(ctx: CommandContext): Command {
  const command = new Command('fuzz')
    .description('call every action with schema-generated payloads and malformed frames; report handler crashes, hangs, drops and spec deviations')
    .option('-e, --endpoint <url>', 'ws(s)://host/path/ID of the CSMS to fuzz (the fuzzer plays the charger)')
    .option('--listen <port>', 'play the CSMS instead: wait for a charger on this port and fuzz it', portNumber)
    .option('--host <host>', 'interface for --listen', '127.0.0.1')
    .addOption(new Option('-p, --protocol <name>', 'OCPP subprotocol').choices(PROTOCOL_CHOICES).default('ocpp1.6'))
    .option('--seed <n>', 'fast-check seed (printed in every report, to replay a run)', integer)
    .option('--runs <n>', 'generated cases per category', positiveInt('--runs'), 100)
    .option('--duration <seconds>', 'time budget of the whole run, shrinking included', nonNegativeNumber('--duration'), 60)
    .option('-c, --connections <n>', 'parallel connections to the CSMS (worker N is ID-N when more than one)', positiveInt('--connections'), 4)
    .option('--only <categories>', 'comma-separated category names: actions (e.g. BootNotification) or frame categories')
    .option('--path <path>', 'replay path of a reported finding (with --seed and one --only category)')
    .option('--deadline <ms>', 'how long to wait for an answer the spec requires', nonNegativeNumber('--deadline'), 2000)
    .option('--grace <ms>', 'after the probe, how long to listen for a late answer to a frame that must be ignored', nonNegativeNumber('--grace'), 0)
    .option('--password <password>', 'Basic-auth password (security profile 1/2)')
    .option('--json', 'print the report as JSON');
  return withTlsOptions(command)
    .addHelpText(
      'after',
      () =>
        `\nCategories: every action the charger sends (--endpoint) or the CSMS sends (--listen) of the protocol, and\n${fuzzCategories('ocpp2.1', 'toCsms')
          .filter((c) => !c.action)
          .map((c) => `  ${c.name.padEnd(16)} ${c.summary}`)
          .join('\n')}\n` +
        '\nFindings: crash (InternalError/GenericError for a schema-valid CALL), hang, dropped (connection closed),\n' +
        '  unreachable (no new connection afterwards), invalid-response (CALLRESULT fails the response schema),\n' +
        '  deviation (wrong error code or id, an answer where none is allowed). Any finding exits 1.\n' +
        '\nExamples:\n  chargewire fuzz --endpoint ws://localhost:9000/ocpp/FUZZ --protocol ocpp2.0.1 --seed 42\n' +
        '  chargewire fuzz --listen 9100 --protocol ocpp1.6   # then point a charger at ws://127.0.0.1:9100/ocpp/CP-1\n',
    )
    .action(async (flags: FuzzFlags) => {
      if ((flags.endpoint === undefined) === (flags.listen === undefined)) throw new UsageError('give either --endpoint <url> or --listen <port>');
      const direction: FuzzDirection = flags.listen !== undefined ? 'toCharger' : 'toCsms';
      const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
      if (flags.path && only?.length !== 1) throw new UsageError('--path replays one category: give exactly one --only category');
      const names = new Set(fuzzCategories(flags.protocol, direction).map((c) => c.name));
      for (const name of only ?? []) if (!names.has(name)) throw new UsageError(`unknown fuzz category '${name}' for ${flags.protocol}`);
      const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
      const tls = readTlsFlags(flags);

      let source: ConnectionSource;
      let target: string;
      let close = async (): Promise<void> => undefined;
      let connections = flags.connections;
      if (flags.endpoint !== undefined) {
        parseEndpoint(flags.endpoint);
        source = endpointSource({ url: flags.endpoint, protocol: flags.protocol, connections, ...(flags.password !== undefined ? { password: flags.password } : {}), ...(tls ? { tls } : {}) });
        target = flags.endpoint;
      } else {
        const listening = await listenForCharger({ port: flags.listen ?? 0, host: flags.host, protocol: flags.protocol });
        source = listening;
        connections = 1; // one charger, one connection: its CALLs are sent one at a time
        target = `ws://${flags.host}:${listening.address.port}`;
        close = () => listening.close();
        ctx.io.err(`waiting for a charger on ${target}/<path>/<identity> (${flags.protocol})\n`);
      }
      const where = flags.endpoint !== undefined ? `--endpoint ${flags.endpoint}` : `--listen ${flags.listen}`;
      const replay = (category: string, path: string): string =>
        `chargewire fuzz ${where} --protocol ${flags.protocol} --only ${category} --seed ${seed} --runs ${flags.runs} --path ${path}`;
      let report: FuzzReport;
      try {
        report = await runFuzz({
          source,
          target,
          protocol: flags.protocol,
          direction,
          seed,
          runs: flags.runs,
          durationMs: flags.duration * 1000,
          connections,
          deadlineMs: flags.deadline,
          graceMs: flags.grace,
          replayCommand: replay,
          // A charger reconnects with back-off: do not close its connection just to reset a bad-frame count.
          ...(direction === 'toCharger' ? { badFrameBudget: Infinity } : {}),
          ...(only ? { only } : {}),
          ...(flags.path ? { path: flags.path } : {}),
          ...(flags.json ? {} : { onCategory: (r: CategoryResult, f: Finding | undefined) => ctx.io.out(renderCategory(r, f)) }),
          ...(!flags.json && ctx.io.isTTY ? { progress: (text: string) => ctx.io.err(text) } : {}),
        });
      } finally {
        await close();
      }
      ctx.io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderSummary(report));
      ctx.setExitCode(report.findings.length > 0 ? EXIT_FAILURES : EXIT_OK);
    });
}

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`--seed must be an integer, got '${text}'`);
  return value;
}

function portNumber(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new InvalidArgumentError(`--listen must be a port number, got '${text}'`);
  return value;
}

function renderCategory(r: CategoryResult, f: Finding | undefined): string {
  const name = r.name.padEnd(34);
  if (!f) {
    const note = r.notImplemented ? ' (answered NotImplemented: not implemented)' : r.cutShort ? ' (time budget spent)' : '';
    return `ok    ${name} ${r.runs} cases${note}\n`;
  }
  return [`FAIL  ${name} ${f.kind}: ${f.message}`, ...renderFinding(f), ''].join('\n');
}

function renderFinding(f: Finding): string[] {
  return [
    `      reproducer: ${f.frame}`,
    `      expected:   ${f.expected}`,
    `      got:        ${f.actual}`,
    ...(f.replay ? [`      replay:     ${f.replay}`] : []),
  ];
}

function renderSummary(report: FuzzReport): string {
  const lines: string[] = [];
  for (const f of report.findings.filter((x) => x.kind === 'unreachable')) lines.push(`UNREACHABLE ${f.message}`, `      last frame: ${f.frame}`);
  const byKind = new Map<string, number>();
  for (const f of report.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  lines.push(
    `${report.findings.length === 0 ? 'no findings' : `${report.findings.length} finding(s): ${kinds}`} — ${report.categories.length} categories, ` +
      `${report.framesSent} frames in ${(report.elapsedMs / 1000).toFixed(1)} s (${report.framesPerSecond} frames/s), ${report.protocol}, seed ${report.seed}`,
  );
  return `${lines.join('\n')}\n`;
}
