/**
 * Server CPU per handshake whose `Sec-WebSocket-Protocol` header carries thousands of tokens (a 13 KB header of
 * 3,500 distinct tokens, under Node's 16 KB header limit). The requests are pre-built buffers written to raw TCP
 * sockets, so almost all CPU measured in this process is the server's.
 *
 *   npm run bench:header-bomb            # 50 handshakes
 *   HANDSHAKES=200 TOKENS=3500 npm run bench:header-bomb
 */
import { connect } from 'node:net';
import { OCPPServer } from '../src/index.js';
import { upgradeRequest } from '../src/testing/upgradeRequest.fixture.js';

const HANDSHAKES = Number(process.env.HANDSHAKES ?? 50);
const TOKENS = Number(process.env.TOKENS ?? 3500);

const tokens = Array.from({ length: TOKENS }, (_, i) => i.toString(36));
tokens.push('ocpp1.6');
const header = tokens.join(',');

function request(port: number, i: number): Buffer {
  return Buffer.from(upgradeRequest(`/bomb/CP-${i}`, `127.0.0.1:${port}`, header), 'latin1');
}

/** One handshake: resolves with the status line once the server answered. */
function handshake(port: number, i: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request(port, i)));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const end = answer.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(answer.slice(0, end));
      }
    });
    socket.on('error', reject);
  });
}

const server = new OCPPServer({ pingIntervalMs: 0, protocols: ['ocpp1.6'] });
const { port } = await server.listen(0, '127.0.0.1');
await handshake(port, -1); // warm-up
const statuses = new Map<string, number>();
const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
for (let i = 0; i < HANDSHAKES; i++) {
  const status = await handshake(port, i);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
}
const used = process.cpuUsage(cpu);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const cpuMs = (used.user + used.system) / 1000;
console.log(
  JSON.stringify({
    handshakes: HANDSHAKES,
    tokens: tokens.length,
    headerBytes: header.length,
    cpuMsTotal: Math.round(cpuMs),
    cpuMsPerHandshake: Math.round((cpuMs / HANDSHAKES) * 100) / 100,
    wallMs: Math.round(wallMs),
    answers: Object.fromEntries(statuses),
  }),
);
await server.close();
