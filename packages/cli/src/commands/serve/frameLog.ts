/** One logged frame or connection event of `serve`. */
export type LogEntry =
  | { at: string; identity: string; event: 'connect'; protocol: string; remoteAddress: string }
  | { at: string; identity: string; event: 'disconnect'; code: number; reason: string }
  | { at: string; identity: string; event: 'frame'; direction: 'in' | 'out'; frame: unknown[] }
  | { at: string; identity: string; event: 'bad-frame'; frame: string; code: string; description: string };

/** A terminal line for a log entry: `time identity ← frame` (← received from the charger, → sent to it). */
export function formatLogEntry(entry: LogEntry): string {
  const time = entry.at.slice(11, 23);
  switch (entry.event) {
    case 'connect':
      return `${time} ${entry.identity} connected (${entry.protocol}) from ${entry.remoteAddress}`;
    case 'disconnect':
      return `${time} ${entry.identity} disconnected (${entry.code}${entry.reason ? ` ${entry.reason}` : ''})`;
    case 'frame':
      return `${time} ${entry.identity} ${entry.direction === 'in' ? '←' : '→'} ${JSON.stringify(entry.frame)}`;
    case 'bad-frame':
      return `${time} ${entry.identity} ← (bad frame, ${entry.code}: ${entry.description}) ${entry.frame}`;
  }
}
