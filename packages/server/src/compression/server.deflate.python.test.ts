import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { OCPPServerOptions } from '../options.js';
import { useServers } from '../testing/serverHarness.fixture.js';

/**
 * Python's `websockets` client (Debian: python3-websockets) as an independent RFC 7692 implementation. The
 * system interpreter is called by its full path: another `python3` on PATH may lack the package.
 */
const PYTHON = '/usr/bin/python3';
const hasWebsockets = spawnSync(PYTHON, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0;

/**
 * Connects with compression, sends each CALL of stdin's list (a list of strings is sent as one fragmented
 * message), and prints the negotiated extension and the answers.
 */
const CLIENT = String.raw`
import asyncio, json, sys
import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

async def main():
    spec = json.load(sys.stdin)
    factory = ClientPerMessageDeflateFactory(**spec["offer"]) if spec["offer"] is not None else None
    kwargs = {"extensions": [factory], "compression": None} if factory else {"compression": "deflate"}
    async with websockets.connect(spec["url"], subprotocols=["ocpp2.0.1"], max_size=2**22, **kwargs) as ws:
        answers = []
        for message in spec["messages"]:
            await ws.send(message)
            answers.append(json.loads(await ws.recv()))
        print(json.dumps({"extensions": ws.response_headers.get("Sec-WebSocket-Extensions"), "answers": answers}))

asyncio.run(main())
`;

interface PythonRun {
  extensions: string | null;
  answers: unknown[];
}

function runPython(url: string, offer: Record<string, unknown> | null, messages: Array<string | string[]>): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', CLIENT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as PythonRun) : reject(new Error(`python exited ${code}: ${err}`))));
    child.stdin.end(JSON.stringify({ url, offer, messages }));
  });
}

const start = useServers();

async function echoServer(perMessageDeflate: OCPPServerOptions['perMessageDeflate']): Promise<string> {
  const { url } = await start({ protocols: ['ocpp2.0.1'], perMessageDeflate }, (server) => {
    server.on('client', (client) => client.handle('ocpp2.0.1', 'DataTransfer', ({ params }) => ({ status: 'Accepted', data: params.data })));
  });
  return `${url}/CP-PY`;
}

const data = [
  'short',
  { meterValue: Array.from({ length: 40 }, (_, i) => ({ value: 1000 + i, unit: 'Wh' })) },
  'repeated text '.repeat(300),
  'repeated text '.repeat(300),
  ['ünïcödé', 42, null, { nested: [true, false] }],
];
const calls = data.map((d, i) => JSON.stringify([2, `py${i}`, 'DataTransfer', { vendorId: 'chargewire', data: d }]));
const expected = data.map((d, i) => [3, `py${i}`, { status: 'Accepted', data: d }]);
/** The last CALL again, split in three fragments (RSV1 on the first only). */
const fragmented = (() => {
  const text = JSON.stringify([2, 'pyF', 'DataTransfer', { vendorId: 'chargewire', data: 'fragment '.repeat(200) }]);
  const third = Math.floor(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
})();

describe.skipIf(!hasWebsockets)("permessage-deflate against Python's websockets client", () => {
  it('with its default offer: no context takeover asked, every message answered', async () => {
    const run = await runPython(await echoServer(true), null, [...calls, fragmented]);
    // Newer websockets releases also offer window bits of 12, which are then answered with 12.
    expect(run.extensions).toMatch(/^permessage-deflate; server_no_context_takeover; client_no_context_takeover(; server_max_window_bits=12; client_max_window_bits=12)?$/);
    expect(run.answers).toEqual([...expected, [3, 'pyF', { status: 'Accepted', data: 'fragment '.repeat(200) }]]);
  }, 30_000);

  it('keeping its context both ways when the server allows it', async () => {
    const server = { serverNoContextTakeover: false, clientNoContextTakeover: false, threshold: 0 };
    const run = await runPython(await echoServer(server), {}, [...calls, fragmented]);
    expect(run.extensions).toBe('permessage-deflate');
    expect(run.answers).toEqual([...expected, [3, 'pyF', { status: 'Accepted', data: 'fragment '.repeat(200) }]]);
  }, 30_000);

  it('with small windows requested both ways', async () => {
    const server = { serverNoContextTakeover: false, clientNoContextTakeover: false };
    const run = await runPython(await echoServer(server), { server_max_window_bits: 9, client_max_window_bits: 10 }, calls);
    expect(run.extensions).toBe('permessage-deflate; server_max_window_bits=9; client_max_window_bits=10');
    expect(run.answers).toEqual(expected);
  }, 30_000);
});
