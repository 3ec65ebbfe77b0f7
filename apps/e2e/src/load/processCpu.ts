import { readFileSync } from 'node:fs';

// Linux reports utime and stime in clock ticks; 100 per second on every kernel configuration Node ships for.
const TICK_MS = 10;

/** CPU time (user + system, ms) a process has used so far, read from /proc, so any pid can be measured. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident set size of a process in MB: all of it (`VmRSS`), and its own anonymous memory (`RssAnon`, without
 * the mapped Node binary and libraries that every Node process on the host shares). */
export function processRssMb(pid: number | undefined): { rss: number; private: number } {
  if (pid === undefined) return { rss: Number.NaN, private: Number.NaN };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: kb('VmRSS'), private: kb('RssAnon') };
}
