import { relative } from 'node:path';
import { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT_OK } from '../../exitCodes.js';
import { positiveInt } from '../../format.js';
import { generateCertificates, type GeneratedCertificates } from './generateCertificates.js';

interface CertsFlags {
  out: string;
  names: string;
  charger: string[];
  organization: string;
  days: number;
  port: number;
  force?: boolean;
  json?: boolean;
}

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** `chargewire certs`: a local CA, a server certificate and charger certificates for security profiles 2 and 3. */
export function certsCommand(ctx: CommandContext): Command {
  return new Command('certs')
    .description('create a local CA, a CSMS server certificate and charger certificates (CN = identity) for security profiles 2 and 3')
    .option('-o, --out <dir>', 'output directory', 'certs')
    .option('--names <list>', 'host names / IP addresses of the CSMS (server certificate SANs; the first is the CN)', 'localhost,127.0.0.1')
    .option('--charger <identity>', 'a charger certificate with CN = identity (repeatable, or comma-separated)', list, [])
    .option('--organization <name>', 'O of every subject (the CPO name profile 3 checks)', 'chargewire')
    .option('--days <n>', 'validity of the server and charger certificates', positiveInt('--days'), 365)
    .option('--port <n>', 'port of the CSMS in the printed commands', positiveInt('--port'), 9443)
    .option('--force', 'replace an existing CA in the output directory (default: sign with it)')
    .option('--json', 'print the file paths as JSON')
    .addHelpText(
      'after',
      '\nNeeds the openssl command. Keys are ECDSA P-256, written with mode 0600. An existing ca.pem/ca.key in the\n' +
        'output directory is reused, so chargers can be added later.\n' +
        '\nExamples:\n  chargewire certs --charger CP-1,CP-2\n  chargewire certs --out /etc/csms/tls --names csms.example.com --organization "My CPO"\n',
    )
    .action(async (flags: CertsFlags) => {
      const generated = await generateCertificates({
        dir: flags.out,
        serverNames: list(flags.names),
        chargers: flags.charger,
        organization: flags.organization,
        days: flags.days,
        ...(flags.force ? { force: true } : {}),
      });
      ctx.io.out(flags.json ? `${JSON.stringify(generated, null, 2)}\n` : render(generated, flags.port));
      ctx.setExitCode(EXIT_OK);
    });
}

function render(g: GeneratedCertificates, port: number): string {
  const p = (file: string): string => relative(process.cwd(), file) || file;
  const host = g.server.names[0] ?? 'localhost';
  const lines = [
    `CA          ${p(g.ca.cert)}  (key ${p(g.ca.key)})${g.reusedCa ? '  reused' : ''}`,
    `server      ${p(g.server.cert)}  (key ${p(g.server.key)})  SANs ${g.server.names.join(', ')}`,
    ...g.chargers.map((c) => `charger     ${p(c.cert)}  (key ${p(c.key)})  CN ${c.identity}`),
    '',
    'CSMS (Node https server; profile 3 asks for the charger certificate):',
    `  createServer({ key: readFileSync('${p(g.server.key)}'), cert: readFileSync('${p(g.server.cert)}'), ca: readFileSync('${p(g.ca.cert)}'), requestCert: true })`,
    '',
  ];
  const charger = g.chargers[0];
  if (charger) {
    lines.push(
      `charger ${charger.identity}, security profile 3:`,
      `  chargewire simulate -e wss://${host}:${port}/ocpp/${encodeURIComponent(charger.identity)} --tls-ca ${p(g.ca.cert)} --tls-cert ${p(charger.cert)} --tls-key ${p(charger.key)}`,
      `charger ${charger.identity}, security profile 2 (Basic auth over TLS):`,
      `  chargewire simulate -e wss://${host}:${port}/ocpp/${encodeURIComponent(charger.identity)} --tls-ca ${p(g.ca.cert)} --password <16-40 characters>`,
    );
  } else {
    lines.push('security profile 2 (Basic auth over TLS):', `  chargewire simulate -e wss://${host}:${port}/ocpp/CP-1 --tls-ca ${p(g.ca.cert)} --password <16-40 characters>`, '(add --charger CP-1 for a profile 3 client certificate)');
  }
  return `${lines.join('\n')}\n`;
}
