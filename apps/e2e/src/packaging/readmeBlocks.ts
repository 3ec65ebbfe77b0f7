import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * How the packaging scenario treats a fenced TypeScript block, from the word after the language
 * (```` ```ts compile-only ````):
 * - none: a complete example; it is compiled against the packed tarballs and run (it must exit 0);
 * - `compile-only`: compiled, not run (it keeps a server listening, or needs Redis or a live CSMS);
 * - `workspace`: runs inside the repository with the TypeScript sources (the example app is private and not
 *   published); relative imports are resolved from the README's directory;
 * - `fragment`: neither (it continues the example before it and uses its variables).
 */
export type TsBlockMode = 'run' | 'compile-only' | 'workspace' | 'fragment';

export interface CodeBlock {
  /** README path relative to the workspace root, and the line of the opening fence. */
  readonly source: string;
  readonly line: number;
  readonly lang: string;
  readonly flags: readonly string[];
  readonly code: string;
}

const TS_MODES: readonly string[] = ['compile-only', 'workspace', 'fragment'];

/** Every fenced code block of a Markdown file. */
export function codeBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) body.push(lines[i] ?? '');
    const flags = (open[2] ?? '').split(/\s+/).filter(Boolean);
    blocks.push({ source: relative(root, file), line: start + 1, lang: open[1] ?? '', flags, code: `${body.join('\n')}\n` });
  }
  return blocks;
}

/** The mode of a TypeScript block; an unknown flag is an error, so a typo cannot silently skip a check. */
export function tsMode(block: CodeBlock): TsBlockMode {
  const mode = block.flags[0];
  if (mode === undefined) return 'run';
  if (block.flags.length > 1 || !TS_MODES.includes(mode)) {
    throw new Error(`${block.source}:${block.line}: unknown code block flags "${block.flags.join(' ')}" (known: ${TS_MODES.join(', ')})`);
  }
  return mode as TsBlockMode;
}

export const isTypeScript = (block: CodeBlock): boolean => block.lang === 'ts' || block.lang === 'typescript';

/** A file name for a block: `<dir>-<line>.ts` (dir = the README's package or app directory). */
export function blockFileName(block: CodeBlock): string {
  const dir = block.source.split('/').slice(-2, -1)[0] ?? 'root';
  return `${dir}-${block.line}.ts`;
}

/**
 * Shell lines of the README blocks, with backslash continuations joined and comments dropped.
 * Only `sh` blocks count; output samples are fenced without a language.
 */
export function shellLines(block: CodeBlock): string[] {
  if (block.lang !== 'sh' && block.lang !== 'bash') return [];
  const joined = block.code.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** The packages an `npm install …` line installs (options dropped), or undefined for other lines. */
export function installedPackages(line: string): string[] | undefined {
  const match = /^npm (?:install|i|add)\s+(.*)$/.exec(line);
  if (!match) return undefined;
  const args = (match[1] ?? '').split(/\s+/).filter((arg) => arg && !arg.startsWith('-'));
  return args.length > 0 ? args : undefined;
}
