/** One `chargewire <command> …` invocation found in a README shell line. */
export interface CliInvocation {
  readonly command: string;
  /** `--long` and `-s` options as written. */
  readonly options: readonly string[];
  /** `[--option value]` pairs of a synopsis (bracketed: optional, so the value shown should be the default). */
  readonly shownDefaults: ReadonlyMap<string, string>;
}

/** The `chargewire` invocations of a shell line (`chargewire …`, `npx chargewire …`, `… | chargewire …`). */
export function cliInvocations(line: string): CliInvocation[] {
  const invocations: CliInvocation[] = [];
  for (const segment of line.split(/\s*(?:\||&&|;)\s*(?=(?:npx\s+)?(?:chargewire|@chargewire\/cli)\b)/)) {
    const match = /^(?:npx\s+)?(?:chargewire|@chargewire\/cli)\s+(\S+)(.*)$/.exec(segment.trim());
    if (!match) continue;
    const command = match[1] ?? '';
    if (command.startsWith('-')) continue; // `chargewire --help`: the program's own options
    const rest = match[2] ?? '';
    const options = [...rest.matchAll(/(?<=^|[\s[])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1] ?? '');
    const shownDefaults = new Map<string, string>();
    for (const m of rest.matchAll(/\[(--[\w-]+) ([^\]\s|]+)\]/g)) shownDefaults.set(m[1] ?? '', m[2] ?? '');
    invocations.push({ command, options, shownDefaults });
  }
  return invocations;
}

/** What `chargewire <command> --help` says: the options it knows and their defaults, as shown. */
export interface CommandHelp {
  readonly options: ReadonlySet<string>;
  readonly defaults: ReadonlyMap<string, string>;
}

/** Reads commander's help text: option flags and `(default: …)` values (a JSON array becomes `a,b,c`). */
export function parseHelp(help: string): CommandHelp {
  const options = new Set<string>(['--help', '-h']);
  const defaults = new Map<string, string>();
  // Commander wraps long descriptions onto indented lines: join each option's lines first.
  const entries = help.split('\n').reduce<string[]>((acc, line) => {
    if (/^\s{2}-/.test(line)) acc.push(line.trim());
    else if (/^\s{4,}\S/.test(line) && acc.length > 0) acc[acc.length - 1] += ` ${line.trim()}`;
    return acc;
  }, []);
  for (const entry of entries) {
    const flags = /^((?:-[\w-]+(?:, )?)+)/.exec(entry)?.[1] ?? '';
    const names = flags.split(', ').map((flag) => flag.trim()).filter(Boolean);
    for (const name of names) options.add(name);
    const shown = /\(default: (.*)\)\s*$/.exec(entry)?.[1];
    const long = names.find((name) => name.startsWith('--'));
    if (shown !== undefined && long) defaults.set(long, normaliseDefault(shown));
  }
  return { options, defaults };
}

function normaliseDefault(shown: string): string {
  try {
    const value: unknown = JSON.parse(shown);
    return Array.isArray(value) ? value.join(',') : String(value);
  } catch {
    return shown;
  }
}

/** Problems of one invocation against its command's help: unknown options, a synopsis default that is not the default. */
export function invocationProblems(invocation: CliInvocation, help: CommandHelp): string[] {
  const problems: string[] = [];
  for (const option of invocation.options) {
    if (!help.options.has(option)) problems.push(`${invocation.command}: unknown option ${option}`);
  }
  for (const [option, shown] of invocation.shownDefaults) {
    if (/^[A-Z]+$/.test(shown)) continue; // a placeholder (N, FILE, SECRET), not a value
    const actual = help.defaults.get(option);
    // An empty default (`[]`, `""`) means "none": the synopsis then shows an example value.
    if (actual !== undefined && actual !== '' && actual !== shown) problems.push(`${invocation.command}: synopsis shows [${option} ${shown}] but the default is ${actual}`);
  }
  return problems;
}
