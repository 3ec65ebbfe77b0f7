import { Command, InvalidArgumentError } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT_FAILURES, EXIT_OK, UsageError } from '../../exitCodes.js';
import { positiveInt } from '../../format.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { readTlsFlags, withTlsOptions, type TlsFlags } from '../../net/tlsFiles.js';
import { parseProtocolList, PROTOCOL_CHOICES } from '../../protocols.js';
import { summarize, type RuleResult } from './ruleResult.js';
import { runCheck } from './runCheck.js';
import { securityRules } from './securityRules.js';

interface CheckFlags extends TlsFlags {
  security?: boolean;
  profile?: 1 | 2 | 3;
  endpoint: string;
  protocols: string[];
  timeout: number;
  json?: boolean;
  password?: string;
}

/** `chargewire check`: OCPP-J transport conformance report of a CSMS. */
export function checkCommand(ctx: CommandContext): Command {
  const command = new Command('check')
    .description('conformance report of a CSMS against the OCPP-J transport rules (or, with --security, the security profile rules), one line per rule')
    .requiredOption('-e, --endpoint <url>', 'ws(s)://host/path/ID of the CSMS')
    .option('--security', 'check the security profile instead: TLS versions, certificates, Basic auth and identity binding')
    .option('--profile <n>', 'security profile to check (default: 3 with --tls-cert, else 2 for wss://, else 1)', profileNumber)
    .option('--protocols <list>', 'comma-separated versions to check', parseProtocolList, [...PROTOCOL_CHOICES])
    .option('--timeout <ms>', 'deadline for each expected answer or close', positiveInt('--timeout'), 2000)
    .option('--password <password>', 'Basic-auth password (security profile 1/2); the user name is the identity')
    .option('--json', 'print the report as JSON');
  return withTlsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  chargewire check --endpoint ws://localhost:9000/ocpp/CHECK --protocols ocpp1.6,ocpp2.0.1\n' +
        '  chargewire check --security -e wss://csms.example.com/ocpp/CP-1 --tls-ca ca.pem --password <password>          # profile 2\n' +
        '  chargewire check --security -e wss://csms.example.com/ocpp/CP-1 --tls-ca ca.pem --tls-cert cp.pem --tls-key cp.key  # profile 3\n' +
        '\nExit code: 0 every rule passes or is not applicable, 1 a rule fails or the endpoint is unusable.\n',
    )
    .action(async (flags: CheckFlags) => {
      const endpoint = parseEndpoint(flags.endpoint);
      if (flags.security) return ctx.setExitCode(await securityCheck(ctx, endpoint, flags));
      const report = await runCheck({
        endpoint,
        protocols: flags.protocols,
        timeoutMs: flags.timeout,
        ...(flags.password !== undefined ? { password: flags.password } : {}),
        ...(flags.json ? {} : { onResult: (r: RuleResult) => ctx.io.out(renderRule(r)) }),
      });
      if (flags.json) ctx.io.out(`${JSON.stringify(report, null, 2)}\n`);
      else ctx.io.out(`\n${report.summary.pass} pass, ${report.summary.fail} fail, ${report.summary['n/a']} not applicable\n`);
      ctx.setExitCode(report.summary.fail > 0 ? EXIT_FAILURES : EXIT_OK);
    });
}

/** One report line: status, version, rule, what was seen, spec section. */
export function renderRule(r: RuleResult): string {
  const status = r.status === 'pass' ? 'PASS' : r.status === 'fail' ? 'FAIL' : 'N/A ';
  return `${status}  ${(r.protocol || '-').padEnd(9)}  ${r.id.padEnd(31)} ${r.title} — ${r.detail} [${r.section}]\n`;
}

function profileNumber(text: string): 1 | 2 | 3 {
  if (text !== '1' && text !== '2' && text !== '3') throw new InvalidArgumentError(`--profile must be 1, 2 or 3, got '${text}'`);
  return Number(text) as 1 | 2 | 3;
}

/** `check --security`: the rules of the security profile, each citing the requirement it checks. */
async function securityCheck(ctx: CommandContext, endpoint: ReturnType<typeof parseEndpoint>, flags: CheckFlags): Promise<0 | 1> {
  const tls = readTlsFlags(flags);
  const profile = flags.profile ?? (tls?.cert ? 3 : endpoint.url.startsWith('wss:') ? 2 : 1);
  if (profile !== 3 && flags.password === undefined) throw new UsageError(`security profile ${profile} is Basic auth: give --password`);
  if (profile === 3 && !tls?.cert) throw new UsageError('security profile 3 is mutual TLS: give --tls-cert and --tls-key');
  const results = await securityRules({
    endpoint,
    protocols: flags.protocols,
    profile,
    timeoutMs: flags.timeout,
    ...(flags.password !== undefined ? { password: flags.password } : {}),
    ...(tls ? { tls } : {}),
  });
  const summary = summarize(results);
  if (flags.json) ctx.io.out(`${JSON.stringify({ endpoint: endpoint.url, profile, results, summary }, null, 2)}\n`);
  else {
    for (const r of results) ctx.io.out(renderRule(r));
    ctx.io.out(`\nsecurity profile ${profile}: ${summary.pass} pass, ${summary.fail} fail, ${summary['n/a']} not applicable\n`);
  }
  return summary.fail > 0 ? EXIT_FAILURES : EXIT_OK;
}
