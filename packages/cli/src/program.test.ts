import { describe, expect, it } from 'vitest';
import { createProgram, runCli } from './program.js';
import { bufferIo } from './testing/bufferIo.fixture.js';

const COMMANDS = ['simulate', 'proxy', 'serve', 'check', 'fuzz', 'bench', 'validate', 'certs'];

describe('chargewire program', () => {
  it('registers every command', () => {
    const program = createProgram({ io: bufferIo(), setExitCode: () => undefined });
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS);
  });

  it('prints --help for the program and every command with exit code 0', async () => {
    const io = bufferIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const name of COMMANDS) expect(io.stdout).toContain(name);
    for (const name of COMMANDS) {
      const sub = bufferIo();
      expect(await runCli([name, '--help'], sub), name).toBe(0);
      expect(sub.stdout).toMatch(new RegExp(`^Usage: chargewire ${name} `));
      expect(sub.stdout).toMatch(/Example/);
    }
  });

  it('prints the version', async () => {
    const io = bufferIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('maps usage errors to exit code 2', async () => {
    for (const argv of [[], ['nope'], ['bench', '--unknown-flag'], ['fuzz', '-e', 'ws://h/o/X', '--runs', 'many'], ['serve', '--port', '99999']]) {
      const io = bufferIo();
      expect(await runCli(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr.length).toBeGreaterThan(0);
    }
  });
});
