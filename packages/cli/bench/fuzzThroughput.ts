/**
 * Fuzz throughput against `chargewire serve` in its own process (two processes, as a user runs them).
 * Usage: npm run bench:fuzz -w @chargewire/cli -- [protocol] [connections] [runs]
 * Prints frames/s of a full default-category run (every charger→CSMS action plus the malformed frames).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { endpointSource, runFuzz } from '../src/index.js';

const protocol = process.argv[2] ?? 'ocpp2.0.1';
const connections = Number(process.argv[3] ?? 4);
const runs = Number(process.argv[4] ?? 300);

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const serve = spawn(process.execPath, ['--import', 'tsx', '--conditions=@chargewire/source', bin, 'serve', '--port', '0', '--json'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const lines = createInterface({ input: serve.stdout });
  let port = 0;
  for await (const line of lines) {
    const entry = JSON.parse(line) as { event?: string; port?: number };
    if (entry.event === 'listening' && entry.port) {
      port = entry.port;
      break;
    }
  }
  // Keep draining the frame log so the server never blocks on a full pipe.
  serve.stdout.resume();
  const url = `ws://127.0.0.1:${port}/ocpp/BENCH`;
  // CPU seconds of each process during the run: on a busy machine wall-clock frames/s understates what the
  // two processes need, so the report also gives frames per CPU second of the busier one (one core each).
  const serverCpu = (): number => {
    const fields = readFileSync(`/proc/${serve.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const serverBefore = serverCpu();
  const fuzzerBefore = process.cpuUsage();
  const report = await runFuzz({ source: endpointSource({ url, protocol, connections }), target: url, protocol, seed: 1, runs, connections, durationMs: 120_000 });
  console.log(
    `${protocol}: ${report.framesSent} frames in ${(report.elapsedMs / 1000).toFixed(2)} s = ${report.framesPerSecond} frames/s ` +
      `(${report.categories.length} categories × ${runs} cases, ${connections} connections, ${report.findings.length} findings)`,
  );
  const fuzzerCpuS = (() => {
    const used = process.cpuUsage(fuzzerBefore);
    return (used.user + used.system) / 1e6;
  })();
  const serverCpuS = serverCpu() - serverBefore;
  console.log(
    `CPU: fuzzer ${fuzzerCpuS.toFixed(2)} s, serve ${serverCpuS.toFixed(2)} s → ${Math.round(report.framesSent / Math.max(fuzzerCpuS, serverCpuS))} frames per CPU second of the busier process`,
  );
  for (const f of report.findings) console.log(`  ${f.category} ${f.kind}: ${f.message}\n    ${f.frame}`);
} finally {
  serve.kill('SIGTERM');
  await once(serve, 'exit');
}
