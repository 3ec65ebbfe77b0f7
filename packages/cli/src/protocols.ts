import { InvalidArgumentError } from 'commander';

/** The OCPP-J subprotocols the CLI knows. */
export const PROTOCOL_CHOICES = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const;
export type CliProtocol = (typeof PROTOCOL_CHOICES)[number];

/** Parses a comma-separated `--protocols` list. */
export function parseProtocolList(text: string): CliProtocol[] {
  const list = text.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of list) {
    if (!(PROTOCOL_CHOICES as readonly string[]).includes(p)) {
      throw new InvalidArgumentError(`unknown protocol '${p}' (choose from ${PROTOCOL_CHOICES.join(', ')})`);
    }
  }
  if (list.length === 0) throw new InvalidArgumentError('at least one protocol is required');
  return list as CliProtocol[];
}
