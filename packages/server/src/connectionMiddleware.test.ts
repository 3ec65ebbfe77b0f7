import { describe, expect, it } from 'vitest';
import { runAuth } from './auth.js';
import { defineMiddleware, runConnectionMiddleware } from './connectionMiddleware.js';
import type { Handshake } from './handshake.js';

const handshake = { identity: 'CP-1' } as Handshake;

describe('runConnectionMiddleware', () => {
  it('runs middleware as an onion, in order, sharing state', async () => {
    const order: string[] = [];
    const state: Record<string, unknown> = {};
    const outcome = await runConnectionMiddleware(
      [
        defineMiddleware(async (ctx, next) => {
          order.push('a>');
          ctx.state.a = 1;
          await next();
          order.push('<a');
        }),
        async (ctx, next) => {
          order.push(`b(${String(ctx.state.a)})`);
          await next();
        },
      ],
      handshake,
      state,
    );
    expect(outcome).toEqual({ ok: true });
    expect(order).toEqual(['a>', 'b(1)', '<a']);
    expect(state).toEqual({ a: 1 });
  });

  it('stops at reject() with its status and message', async () => {
    let reached = false;
    const outcome = await runConnectionMiddleware(
      [(ctx) => ctx.reject(403, 'Banned'), () => void (reached = true)],
      handshake,
      {},
    );
    expect(outcome).toEqual({ ok: false, status: 403, message: 'Banned' });
    expect(reached).toBe(false);
  });

  it('refuses with 403 when a middleware neither calls next() nor rejects', async () => {
    expect(await runConnectionMiddleware([() => undefined], handshake, {})).toEqual({ ok: false, status: 403, message: 'Connection refused' });
  });

  it('propagates unexpected errors (the server answers 500)', async () => {
    await expect(runConnectionMiddleware([() => { throw new Error('boom'); }], handshake, {})).rejects.toThrow('boom');
  });
});

describe('runAuth', () => {
  it('accepts everything without a handler', async () => {
    expect(await runAuth(undefined, handshake, {})).toEqual({ ok: true, session: undefined });
  });

  it('takes the first decision, sync or async', async () => {
    expect(await runAuth((ctx) => ctx.accept({ session: { id: 7 } }), handshake, {})).toEqual({ ok: true, session: { id: 7 } });
    expect(
      await runAuth(async (ctx) => {
        await Promise.resolve();
        ctx.reject(403, 'nope');
        ctx.accept();
      }, handshake, {}),
    ).toEqual({ ok: false, status: 403, message: 'nope' });
    expect(await runAuth((ctx) => ctx.reject(), handshake, {})).toEqual({ ok: false, status: 401, message: 'Unauthorized' });
  });

  it('refuses with 401 when the handler decides nothing', async () => {
    expect(await runAuth(() => undefined, handshake, {})).toEqual({ ok: false, status: 401, message: 'Unauthorized' });
  });
});
