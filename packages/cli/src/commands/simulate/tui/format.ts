import type { ConnectorState } from '../model/connector.js';
import { sessionEnergy } from '../model/connector.js';
import type { LogLine } from '../simulator.js';

/** `HH:MM:SS.mmm` of a log line. */
export function clock(at: Date): string {
  return at.toISOString().slice(11, 23);
}

const ARROWS: Record<LogLine['kind'], string> = { out: '→', in: '←', info: '·', error: '!' };

/** A log line as printed by `--script` and shown in the TUI. */
export function formatLogLine(line: LogLine, identity?: string): string {
  return `${clock(line.at)} ${identity ? `${identity} ` : ''}${ARROWS[line.kind]} ${line.text}`;
}

/** The cells of a connector row. */
export function connectorCells(c: ConnectorState): string[] {
  return [
    String(c.id),
    c.status,
    c.plugged ? 'yes' : 'no',
    c.authorizedTag ?? '-',
    c.transactionId === undefined ? '-' : String(c.transactionId).slice(0, 8),
    c.voltageV.toFixed(0),
    c.currentA.toFixed(1),
    (c.powerW / 1000).toFixed(2),
    (c.energyWh / 1000).toFixed(3),
    (sessionEnergy(c) / 1000).toFixed(3),
    c.plugged ? `${Math.round(c.socPercent)}%` : '-',
    c.limitA === undefined ? '-' : `${c.limitA} A`,
  ];
}

export const CONNECTOR_HEADER = ['#', 'Status', 'Plug', 'Tag', 'Tx', 'V', 'A', 'kW', 'Meter kWh', 'Session kWh', 'SoC', 'Limit'];
