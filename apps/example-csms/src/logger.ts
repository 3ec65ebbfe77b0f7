/** Severity levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The small logging surface the app uses; pass your own (pino, console wrapper) to createCsms. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Whether entries of this level are written; lets callers skip building costly fields (frame logs). */
  enabled?(level: Exclude<LogLevel, 'silent'>): boolean;
}

/** Field names whose values are never written, whatever a caller passes by mistake. */
export const SECRET_FIELDS = /pass(word)?|secret|authorization|token|hash/i;

function redact(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_FIELDS.test(key) && key !== 'idToken') out[key] = '[redacted]';
    else out[key] = value instanceof Error ? value.message : value;
  }
  return out;
}

/** Where a line goes; the default writes warn/error to stderr and the rest to stdout. */
export type LogSink = (line: string, level: Exclude<LogLevel, 'silent'>) => void;

const stdSink: LogSink = (line, lvl) => void (lvl === 'warn' || lvl === 'error' ? process.stderr : process.stdout).write(line);

/** One line per entry on stdout/stderr: `time level message {fields}`. */
export function createConsoleLogger(level: LogLevel = 'info', sink: LogSink = stdSink): Logger {
  const min = ORDER[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < min) return;
    const safe = redact(fields);
    const line = `${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${message}${safe && Object.keys(safe).length > 0 ? ` ${JSON.stringify(safe)}` : ''}\n`;
    sink(line, lvl);
  };
  return {
    enabled: (lvl) => ORDER[lvl] >= min,
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
