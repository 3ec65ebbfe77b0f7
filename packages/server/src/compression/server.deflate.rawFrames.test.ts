import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OCPPServerOptions } from '../options.js';
import type { ServerClient } from '../serverClient.js';
import { nextClient, useServers } from '../testing/serverHarness.fixture.js';
import { clientFrame, deflateMessage, openRawPeer } from '../testing/rawPeer.fixture.js';
import type { RawPeer } from '../testing/rawPeer.fixture.js';

const start = useServers();
const TEXT = 0x1;
const CONTINUATION = 0x0;
const PING = 0x9;

/** The raw peer, with `server` resolving to its ServerClient (to see how the server reports a close). */
async function open(options: OCPPServerOptions = {}, extensions: string | null = 'permessage-deflate; client_max_window_bits'): Promise<RawPeer & { server: Promise<ServerClient> }> {
  let accepted: Promise<ServerClient> | undefined;
  const { url } = await start({ protocols: ['ocpp2.0.1'], ...options }, (server) => {
    accepted = nextClient(server);
    server.on('client', (client) => client.handle('ocpp2.0.1', 'DataTransfer', ({ params }) => ({ status: 'Accepted', data: params.data })));
  });
  const peer = await openRawPeer(`${url}/CP-1`, 'ocpp2.0.1', extensions ?? undefined);
  return Object.assign(peer, { server: accepted! });
}

const call = (id: string, data: unknown): string => JSON.stringify([2, id, 'DataTransfer', { vendorId: 'chargewire', data }]);
const answerOf = (id: string, data: unknown): string => JSON.stringify([3, id, { status: 'Accepted', data }]);

describe('permessage-deflate on raw frames', () => {
  it('inflates a compressed message, and a plain one on the same connection (RSV1 is per message)', async () => {
    const peer = await open();
    expect(peer.headers['sec-websocket-extensions']).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover');
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: deflateMessage(call('1', 'hello')) }));
    expect(await peer.nextText()).toBe(answerOf('1', 'hello'));
    peer.send(clientFrame({ opcode: TEXT, payload: call('2', 'plain') }));
    expect(await peer.nextText()).toBe(answerOf('2', 'plain'));
  });

  it('inflates each message on its own when the charger resets its context (messages without dictionary)', async () => {
    const peer = await open();
    for (let i = 0; i < 3; i++) {
      peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: deflateMessage(call(`n${i}`, 'same text every time')) }));
      expect(await peer.nextText()).toBe(answerOf(`n${i}`, 'same text every time'));
    }
  });

  it('follows a charger that keeps its context: later messages refer back into earlier ones', async () => {
    const peer = await open({ perMessageDeflate: { clientNoContextTakeover: false } });
    expect(peer.headers['sec-websocket-extensions']).toBe('permessage-deflate; server_no_context_takeover');
    let history = Buffer.alloc(0);
    for (let i = 0; i < 4; i++) {
      const text = call(`t${i}`, 'a payload that repeats across messages '.repeat(3));
      const compressed = deflateMessage(text, history.length ? history : undefined);
      if (i > 0) expect(compressed.length).toBeLessThan(30);
      peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: compressed }));
      expect(await peer.nextText()).toBe(answerOf(`t${i}`, 'a payload that repeats across messages '.repeat(3)));
      history = Buffer.concat([history, Buffer.from(text)]);
    }
  });

  it('compresses what it sends with context takeover when allowed, and the charger inflates with its history', async () => {
    const peer = await open({ perMessageDeflate: { serverNoContextTakeover: false } });
    expect(peer.headers['sec-websocket-extensions']).toBe('permessage-deflate; client_no_context_takeover');
    let history = Buffer.alloc(0);
    for (let i = 0; i < 3; i++) {
      peer.send(clientFrame({ opcode: TEXT, payload: call(`s${i}`, 'x') }));
      const frame = await peer.nextFrame();
      // With takeover every message is compressed, small ones included.
      expect(frame.rsv1).toBe(true);
      const { inflateRawSync, constants } = await import('node:zlib');
      const text = inflateRawSync(Buffer.concat([frame.payload, Buffer.from([0, 0, 0xff, 0xff])]), history.length ? { finishFlush: constants.Z_SYNC_FLUSH, dictionary: history } : { finishFlush: constants.Z_SYNC_FLUSH }).toString();
      expect(text).toBe(answerOf(`s${i}`, 'x'));
      history = Buffer.concat([history, Buffer.from(text)]);
    }
  });

  it('reassembles a fragmented compressed message (RSV1 on the first frame only)', async () => {
    const peer = await open();
    const compressed = deflateMessage(call('f', 'fragmented '.repeat(50)));
    const a = compressed.subarray(0, 5);
    const b = compressed.subarray(5, 12);
    const c = compressed.subarray(12);
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, fin: false, payload: a }), clientFrame({ opcode: CONTINUATION, fin: false, payload: b }));
    // A ping may come between fragments (RFC 6455 §5.4); it is answered, never compressed.
    peer.send(clientFrame({ opcode: PING, payload: 'p' }));
    const pong = await peer.nextFrame();
    expect(pong).toMatchObject({ opcode: 0xa, rsv1: false });
    expect(pong.payload.toString()).toBe('p');
    peer.send(clientFrame({ opcode: CONTINUATION, payload: c }));
    expect(await peer.nextText()).toBe(answerOf('f', 'fragmented '.repeat(50)));
  });

  it('reads the single 0x00 byte of an empty compressed message (RFC 7692 §7.2.3.6)', async () => {
    const peer = await open();
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: Buffer.from([0x00]) }));
    // An empty message is not an OCPP frame: answered with a CALLERROR, the connection stays up.
    const answer = JSON.parse(await peer.nextText()) as unknown[];
    expect(answer.slice(0, 2)).toEqual([4, '-1']);
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: deflateMessage(call('after', 1)) }));
    expect(await peer.nextText()).toBe(answerOf('after', 1));
  });

  it('closes with 1009 when a message inflates beyond maxPayload, compressed size far below it', async () => {
    const peer = await open({ maxPayload: 64 * 1024 });
    const bomb = deflateMessage(call('bomb', 'x'.repeat(4 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(64 * 1024);
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: bomb }));
    expect(await peer.closeCode()).toBe(1009);
    expect((await (await peer.server).closed()).code).toBe(1009);
  });

  it('closes with 1009 when the fragments of one message inflate beyond maxPayload together', async () => {
    const peer = await open({ maxPayload: 64 * 1024 });
    const compressed = deflateMessage(call('big', 'y'.repeat(200 * 1024)));
    const half = compressed.length >> 1;
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, fin: false, payload: compressed.subarray(0, half) }), clientFrame({ opcode: CONTINUATION, payload: compressed.subarray(half) }));
    expect(await peer.closeCode()).toBe(1009);
  });

  it('closes with 1007 on data that does not inflate', async () => {
    const peer = await open();
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: Buffer.from([0xff, 0xff, 0xff, 0x00]) }));
    expect(await peer.closeCode()).toBe(1007);
    expect((await (await peer.server).closed()).code).toBe(1007);
  });

  it('closes with 1002 on RSV1 in a continuation frame', async () => {
    const peer = await open();
    const compressed = deflateMessage(call('c', 'z'));
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, fin: false, payload: compressed.subarray(0, 4) }), clientFrame({ opcode: CONTINUATION, rsv1: true, payload: compressed.subarray(4) }));
    expect(await peer.closeCode()).toBe(1002);
  });

  it('closes with 1002 on a compressed control frame', async () => {
    const peer = await open();
    peer.send(clientFrame({ opcode: PING, rsv1: true, payload: deflateMessage('ping') }));
    expect(await peer.closeCode()).toBe(1002);
  });

  it('closes with 1002 on RSV2 or RSV3, which permessage-deflate does not define', async () => {
    for (const bits of [{ rsv2: true }, { rsv3: true }]) {
      const peer = await open();
      peer.send(clientFrame({ opcode: TEXT, rsv1: true, ...bits, payload: deflateMessage(call('r', 1)) }));
      expect(await peer.closeCode()).toBe(1002);
    }
  });

  it('closes with 1002 on RSV1 when the extension was not negotiated (offer declined, or none made)', async () => {
    for (const offer of ['permessage-deflate; foo=1', null]) {
      const peer = await open({}, offer);
      expect(peer.headers['sec-websocket-extensions']).toBeUndefined();
      peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: deflateMessage(call('n', 1)) }));
      expect(await peer.closeCode()).toBe(1002);
    }
  });

  it('picks the first acceptable of several offers', async () => {
    const peer = await open({ perMessageDeflate: { clientNoContextTakeover: false } }, 'x-unknown, permessage-deflate; server_max_window_bits=8, permessage-deflate; client_max_window_bits=10');
    expect(peer.headers['sec-websocket-extensions']).toBe('permessage-deflate; server_no_context_takeover; client_max_window_bits=10');
    peer.send(clientFrame({ opcode: TEXT, rsv1: true, payload: deflateMessage(call('w', 'ok')) }));
    expect(await peer.nextText()).toBe(answerOf('w', 'ok'));
  });

  for (const takeover of [false, true]) {
    it(`property: messages compressed ${takeover ? 'with the charger keeping its context' : 'each on its own'}, or plain, split at random points, are answered exactly`, async () => {
      const peer = await open(takeover ? { perMessageDeflate: { clientNoContextTakeover: false } } : {});
      let history = Buffer.alloc(0);
      let n = 0;
      const message = fc.record({ data: fc.jsonValue({ maxDepth: 3 }), cuts: fc.array(fc.nat(), { maxLength: 4 }), compress: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 5 }), async (messages) => {
          for (const m of messages) {
            const id = `p${++n}`;
            const text = call(id, m.data);
            // Only compressed messages enter the charger's LZ77 window (RFC 7692 §7.2.1).
            const body = m.compress ? deflateMessage(text, takeover && history.length ? history : undefined) : Buffer.from(text);
            if (m.compress && takeover) history = Buffer.concat([history, Buffer.from(text)]).subarray(-32768);
            const cuts = [...new Set(m.cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
            const bounds = [0, ...cuts, body.length];
            const frames = bounds.slice(1).map((end, i) =>
              clientFrame({ opcode: i === 0 ? TEXT : CONTINUATION, rsv1: i === 0 && m.compress, fin: i === bounds.length - 2, payload: body.subarray(bounds[i], end) }),
            );
            peer.send(...frames);
            expect(JSON.parse(await peer.nextText())).toEqual([3, id, { status: 'Accepted', data: JSON.parse(JSON.stringify(m.data)) }]);
          }
        }),
        { numRuns: 60 },
      );
    }, 60_000);
  }
});
