import { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT_FAILURES, EXIT_OK } from '../../exitCodes.js';
import { positiveInt } from '../../format.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { parseProtocolList, PROTOCOL_CHOICES } from '../../protocols.js';
import type { RuleResult } from './ruleResult.js';
import { runCheck } from './runCheck.js';

interface CheckFlags {
  endpoint: string;
  protocols: string[];
  timeout: number;
  json?: boolean;
  password?: string;
}

/** `chargewire check`: OCPP-J transport conformance report of a CSMS. */
export function checkCommand(ctx: CommandContext): Command {
  return new Command('check')
    .description('conformance report of a CSMS against the OCPP-J transport rules, one line per rule')
    .requiredOption('-e, --endpoint <url>', 'ws://host/path/ID of the CSMS')
    .option('--protocols <list>', 'comma-separated versions to check', parseProtocolList, [...PROTOCOL_CHOICES])
    .option('--timeout <ms>', 'deadline for each expected answer or close', positiveInt('--timeout'), 2000)
    .option('--password <password>', 'Basic-auth password (security profile 1/2); the user name is the identity')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExample:\n  chargewire check --endpoint ws://localhost:9000/ocpp/CHECK --protocols ocpp1.6,ocpp2.0.1\n\nExit code: 0 every rule passes or is not applicable, 1 a rule fails or the endpoint is unusable.\n')
    .action(async (flags: CheckFlags) => {
      const endpoint = parseEndpoint(flags.endpoint);
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
