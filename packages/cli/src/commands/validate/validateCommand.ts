import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT_FAILURES, EXIT_OK, UsageError } from '../../exitCodes.js';
import { formatTable } from '../../format.js';
import { PROTOCOL_CHOICES } from '../../protocols.js';
import { validateText, type ValidationReport } from './validateText.js';

interface ValidateFlags {
  protocol: string;
  action?: string;
  response?: boolean;
  json?: boolean;
}

/** `chargewire validate`: check a payload or a frame against the official schema. */
export function validateCommand(ctx: CommandContext): Command {
  return new Command('validate')
    .description('validate a payload or a whole OCPP-J frame and print the violations with their OCPP error codes')
    .argument('<file>', "JSON file with a payload or a frame, or '-' for standard input")
    .addOption(new Option('-p, --protocol <name>', 'OCPP version of the schema').choices(PROTOCOL_CHOICES).makeOptionMandatory())
    .option('-a, --action <action>', 'action name (required for a bare payload or a CALLRESULT frame)')
    .option('-r, --response', 'the payload is a response (CALLRESULT) instead of a request')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  echo '{\"idTag\":\"TAG\"}' | chargewire validate --protocol ocpp1.6 --action Authorize -\n" +
        '  chargewire validate --protocol ocpp2.0.1 frame.json         # [2,"id","BootNotification",{…}]\n' +
        '  chargewire validate -p ocpp1.6 -a Authorize --response reply.json\n' +
        '\nExit code: 0 valid, 1 violations found, 2 usage error.\n',
    )
    .action(async (file: string, flags: ValidateFlags) => {
      const text = file === '-' ? await readAll(ctx.io.stdin) : await readInput(file);
      const report = validateText(text, {
        protocol: flags.protocol,
        ...(flags.action ? { action: flags.action } : {}),
        ...(flags.response ? { response: true } : {}),
      });
      ctx.io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
      ctx.setExitCode(report.valid ? EXIT_OK : EXIT_FAILURES);
    });
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function readAll(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

function renderReport(r: ValidationReport): string {
  const what = `${r.protocol} ${r.action ?? ''} ${r.kind}${r.frame ? ' (frame)' : ''}`.replace(/\s+/g, ' ');
  if (r.valid) return `valid: ${what}\n`;
  const rows = r.violations.map((v) => [v.wireCode, v.pointer || '/', v.keyword, v.message]);
  return `${r.violations.length} violation(s): ${what}\n${formatTable([['code', 'at', 'keyword', 'message'], ...rows])}`;
}
