/**
 * Compressed traffic benchmark: server CPU per MeterValues call and RSS per idle connection, for chargers that
 * negotiate permessage-deflate and compress every frame, side by side with the plain case and with a bare ws
 * echo server that runs ws' own permessage-deflate with the same parameters.
 *
 *   npm run bench:compression
 *   BENCH_SECONDS=3 BENCH_ROUNDS=2 BENCH_IDLE=2000 npm run bench:compression   # shorter
 *
 * Each server runs in a child process, the load generator in another (100 connections, one call in flight each,
 * strict mode). CPU per call = the server child's process.cpuUsage() over the measured window / calls answered in
 * it. Idle: N connections that negotiated compression and made one compressed call, RSS growth / N.
 */
import type { ChildProcess } from 'node:child_process';
import type { LoadArgs, LoadMessage } from './load.js';
import { child, memory, PHASE_TIMEOUT_MS, runBenchmark, startTarget, stop } from './processes.js';
import type { TargetKind } from './targets.js';
import type { TargetMessage } from './targetProcess.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
// 10,000 as in bench:handlers: at a few thousand connections the V8 heap's step growth still shows in the per-connection figure.
const IDLE_N = Number(process.env.BENCH_IDLE ?? 10_000);

interface Case {
  label: string;
  kind: TargetKind;
  compress: boolean;
}

const CASES: Case[] = [
  { label: 'chargewire plain', kind: 'chargewire', compress: false },
  { label: 'chargewire deflate', kind: 'chargewire-deflate', compress: true },
  { label: 'ws-echo plain', kind: 'ws-echo', compress: false },
  { label: 'ws-echo deflate (ws)', kind: 'ws-echo-deflate', compress: true },
];

function cpu(proc: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('cpu: no answer')), 10_000);
    const onMessage = (m: TargetMessage): void => {
      if (m.type !== 'cpu') return;
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(m.userUs + m.systemUs);
    };
    proc.on('message', onMessage);
    proc.send({ type: 'cpu' });
  });
}

/** One calls run against `target`; the server's CPU is read at the load generator's window marks. */
async function cpuPerCall(target: { proc: ChildProcess; port: number }, c: Case): Promise<{ usPerCall: number; callsPerSec: number }> {
  const args: LoadArgs = { mode: 'calls', port: target.port, connections: CONNECTIONS, durationMs: SECONDS * 1000, warmupMs: 1000, compress: c.compress, marks: true };
  const loader = child('./load.ts', JSON.stringify(args));
  try {
    return await new Promise((resolve, reject) => {
      let startCpu: Promise<number> | undefined;
      let endCpu: Promise<number> | undefined;
      const timer = setTimeout(() => reject(new Error(`${c.label}: timed out`)), PHASE_TIMEOUT_MS);
      loader.on('exit', (code) => reject(new Error(`${c.label}: load generator exited (${code})`)));
      loader.on('message', (m: LoadMessage) => {
        if (m.type === 'mark') {
          if (m.phase === 'start') startCpu = cpu(target.proc);
          else endCpu = cpu(target.proc);
          return;
        }
        clearTimeout(timer);
        if (m.type === 'error') return reject(new Error(`${c.label}: ${m.message}`));
        if (m.type !== 'calls' || !startCpu || !endCpu) return reject(new Error(`${c.label}: unexpected ${m.type}`));
        if (m.errors) return reject(new Error(`${c.label}: ${m.errors} unexpected answers`));
        Promise.all([startCpu, endCpu]).then(([a, b]) => resolve({ usPerCall: (b - a) / m.calls, callsPerSec: m.callsPerSec }), reject);
      });
    });
  } finally {
    await stop(loader);
  }
}

/** RSS per idle connection on a fresh server: connections that made one call (compressed when `compress`). */
async function idleBytes(c: Case): Promise<{ bytes: number; heapBytes: number; reached: number }> {
  const target = await startTarget(c.kind);
  try {
    const before = await memory(target.proc, c.kind);
    const args: LoadArgs = { mode: 'idle', port: target.port, connections: IDLE_N, concurrency: 100, compress: c.compress, exchange: true };
    const loader = child('./load.ts', JSON.stringify(args));
    try {
      const idle = await new Promise<LoadMessage>((resolve, reject) => {
        loader.once('message', resolve);
        loader.once('exit', (code) => reject(new Error(`${c.label} idle: exited (${code})`)));
      });
      if (idle.type !== 'idle') throw new Error(idle.type === 'error' ? idle.message : 'unexpected');
      let after = await memory(target.proc, c.kind);
      for (let i = 0; i < 50 && after.connections < idle.opened; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await memory(target.proc, c.kind);
      }
      const per = (a: number, b: number): number => (after.connections > 0 ? (a - b) / after.connections : 0);
      return { bytes: per(after.rss, before.rss), heapBytes: per(after.heapUsed, before.heapUsed), reached: after.connections };
    } finally {
      await stop(loader);
    }
  } finally {
    await stop(target.proc);
  }
}

function table(lines: string[][]): void {
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const l of lines) console.log(l.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

async function main(): Promise<void> {
  process.stderr.write(`compression benchmark: best of ${ROUNDS} interleaved rounds, ${SECONDS}s each, ${CONNECTIONS} connections, idle N=${IDLE_N}\n`);
  const best = new Map<string, { usPerCall: number; callsPerSec: number }>();
  const targets = new Map<TargetKind, { proc: ChildProcess; port: number }>();
  try {
    for (const c of CASES) if (!targets.has(c.kind)) targets.set(c.kind, await startTarget(c.kind));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of CASES) {
        const r = await cpuPerCall(targets.get(c.kind)!, c);
        process.stderr.write(`  round ${round} ${c.label}: ${r.usPerCall.toFixed(1)} µs CPU/call, ${Math.round(r.callsPerSec)} calls/s\n`);
        const prev = best.get(c.label);
        if (!prev || r.usPerCall < prev.usPerCall) best.set(c.label, r);
      }
    }
  } finally {
    await Promise.all([...targets.values()].map((t) => stop(t.proc)));
  }
  const idle = new Map<string, { bytes: number; heapBytes: number; reached: number }>();
  for (const c of CASES) {
    const r = await idleBytes(c);
    process.stderr.write(`  ${c.label} idle: ${r.reached} connections, ${(r.bytes / 1024).toFixed(2)} KB RSS each (JS heap ${(r.heapBytes / 1024).toFixed(2)} KB)\n`);
    idle.set(c.label, r);
  }
  const us = (label: string): number => best.get(label)!.usPerCall;
  const kb = (label: string): number => idle.get(label)!.bytes / 1024;
  console.log('');
  table([
    ['case', 'µs CPU/call', 'calls/s', 'KB RSS/idle conn', 'idle conns'],
    ...CASES.map((c) => [c.label, us(c.label).toFixed(1), String(Math.round(best.get(c.label)!.callsPerSec)), kb(c.label).toFixed(2), String(idle.get(c.label)!.reached)]),
  ]);
  console.log('');
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  console.log(`chargewire deflate / chargewire plain, CPU per call:   ${ratio(us('chargewire deflate'), us('chargewire plain'))}  (target ≤ 2×)`);
  console.log(`chargewire deflate / ws-echo deflate (ws), CPU per call: ${ratio(us('chargewire deflate'), us('ws-echo deflate (ws)'))}`);
  console.log(`ws-echo deflate (ws) / ws-echo plain, CPU per call:    ${ratio(us('ws-echo deflate (ws)'), us('ws-echo plain'))}`);
  console.log(`RSS per idle compressed connection: chargewire ${kb('chargewire deflate').toFixed(2)} KB (target ≤ 12 KB), ws-echo (ws) ${kb('ws-echo deflate (ws)').toFixed(2)} KB, ratio ${ratio(kb('chargewire deflate'), kb('ws-echo deflate (ws)'))}`);
}

runBenchmark(main, 20 * 60_000);
