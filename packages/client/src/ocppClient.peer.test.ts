/** What a misbehaving CSMS can send: the client answers per OCPP-J and never crashes or loses the socket. */
import { describe, expect, it } from 'vitest';
import { FrameLog } from './testing/frames.fixture.js';
import { once, useClientHarness } from './testing/clientHarness.fixture.js';

const { server, client } = useClientHarness();

async function connected(extra: Parameters<typeof client>[1] = {}) {
  const s = await server();
  const c = client(s, extra);
  const conn = s.nextConnection();
  await c.connect();
  const { ws } = await conn;
  return { s, c, ws, log: new FrameLog(ws) };
}

describe('OCPPClient facing a misbehaving CSMS', () => {
  it('answers unparsable frames with a CALLERROR on id "-1" (1.6 spelling) and stays open', async () => {
    const { c, ws, log } = await connected();
    ws.send('this is not json');
    const frame = await log.next();
    expect(frame[0]).toBe(4);
    expect(frame[1]).toBe('-1');
    expect(frame[2]).toBe('FormationViolation');
    expect(c.state).toBe('open');
  });

  it('validates inbound requests (strict mode) and answers with the constraint code', async () => {
    const { c, ws, log } = await connected();
    let called = false;
    c.handle('ocpp1.6', 'RemoteStartTransaction', () => {
      called = true;
      return { status: 'Accepted' };
    });
    ws.send(JSON.stringify([2, 'bad-1', 'RemoteStartTransaction', { connectorId: 1 }]));
    const frame = await log.next();
    expect(frame.slice(0, 3)).toEqual([4, 'bad-1', 'OccurenceConstraintViolation']);
    expect(called).toBe(false);
  });

  it('answers NotImplemented for unknown actions and InternalError for a throwing handler, without leaking its text', async () => {
    const { c, ws, log } = await connected();
    c.handle('ocpp1.6', 'Reset', () => {
      throw new Error('database password is hunter2');
    });
    ws.send(JSON.stringify([2, 'u-1', 'MakeCoffee', {}]));
    expect((await log.next()).slice(0, 3)).toEqual([4, 'u-1', 'NotImplemented']);
    ws.send(JSON.stringify([2, 'r-1', 'Reset', { type: 'Soft' }]));
    const frame = await log.next();
    expect(frame.slice(0, 3)).toEqual([4, 'r-1', 'InternalError']);
    expect(JSON.stringify(frame)).not.toContain('hunter2');
  });

  it('decodes binary frames as text instead of dropping them', async () => {
    const { c, ws, log } = await connected();
    c.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
    ws.send(Buffer.from(JSON.stringify([2, 'b-1', 'Reset', { type: 'Hard' }])), { binary: true });
    expect(await log.next()).toEqual([3, 'b-1', { status: 'Accepted' }]);
  });

  it('ignores a CALLRESULT for an unknown message id', async () => {
    const { c, ws, log } = await connected();
    c.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
    ws.send(JSON.stringify([3, 'nobody-asked', { status: 'Accepted' }]));
    ws.send(JSON.stringify([2, 'after', 'Reset', { type: 'Hard' }]));
    expect(await log.next()).toEqual([3, 'after', { status: 'Accepted' }]);
    expect(c.state).toBe('open');
  });

  it('a frame above maxPayloadBytes drops the socket and the client reconnects', async () => {
    const { s, c, ws } = await connected({ maxPayloadBytes: 1024 });
    const disconnect = once(c, 'disconnect');
    const reopened = once(c, 'open');
    const second = s.nextConnection();
    ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'V', data: 'x'.repeat(4096) }]));
    expect([1006, 1009]).toContain((await disconnect).code);
    await second;
    await reopened;
    expect(c.state).toBe('open');
  });
});
