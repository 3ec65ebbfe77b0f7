import { InvalidArgumentError } from 'commander';

/** Left-aligned text table; the first row is the header. Numbers should already be formatted. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

/** A number with a fixed number of decimals, or '-' for NaN. */
export function fixed(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : '-';
}

/** Parses a positive integer option value; commander turns the error into a usage error (exit 2). */
export function positiveInt(name: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${text}'`);
    return value;
  };
}

/** Parses a non-negative number option value. */
export function nonNegativeNumber(name: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`${name} must be a non-negative number, got '${text}'`);
    return value;
  };
}

