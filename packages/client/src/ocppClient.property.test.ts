/**
 * Property: whatever the interleaving of calls and connection drops, every call settles exactly once, the
 * CSMS sees each call at most once, an answered call got its own answer, and a call refused up front
 * (NotConnectedError) never reached the CSMS.
 */
import { ConnectionClosedError, NotConnectedError } from '@chargewire/rpc-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { OCPPClient } from './ocppClient.js';
import type { Frame } from './testing/frames.fixture.js';
import { startRawServer } from './testing/rawServer.fixture.js';

type Op = 'call' | 'drop' | 'tick';

describe('OCPPClient under random drops (property)', () => {
  it('settles every call exactly once and never duplicates one at the CSMS', async () => {
    const server = await startRawServer();
    const seen = new Map<string, number>();
    const hook = (ws: WebSocket): void => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame;
        if (frame[0] !== 2) return;
        const label = (frame[3] as { messageId: string }).messageId;
        seen.set(label, (seen.get(label) ?? 0) + 1);
        // Answer on the next turn so that drops can land between CALL and CALLRESULT.
        setImmediate(() => ws.send(JSON.stringify([3, frame[1], { status: 'Accepted', data: label }])));
      });
    };
    void (async () => {
      for (;;) hook((await server.nextConnection()).ws);
    })();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom<Op>('call', 'call', 'call', 'drop', 'tick'), { minLength: 1, maxLength: 25 }),
          fc.integer({ min: 0, max: 6 }),
          async (ops, offlineQueue) => {
            run++;
            const client = new OCPPClient({
              endpoint: server.url,
              identity: `CP-${run}`,
              protocols: ['ocpp1.6'],
              offlineQueue,
              pingIntervalMs: 0,
              backoff: { initialMs: 2, maxMs: 10, jitter: 'none' },
            });
            client.on('error', () => undefined);
            await client.connect();
            const calls: Array<{ label: string; outcome: Promise<PromiseSettledResult<{ data?: string }>> }> = [];
            let settledTwice = false;
            for (const [i, op] of ops.entries()) {
              if (op === 'call') {
                const label = `${run}-${i}`;
                let settled = 0;
                const p = client.call('ocpp1.6', 'DataTransfer', { vendorId: 'V', messageId: label });
                const outcome = p.then(
                  (value) => {
                    if (++settled > 1) settledTwice = true;
                    return { status: 'fulfilled', value } as const;
                  },
                  (reason: unknown) => {
                    if (++settled > 1) settledTwice = true;
                    return { status: 'rejected', reason } as const;
                  },
                );
                calls.push({ label, outcome });
              } else if (op === 'drop') {
                for (const ws of server.wss.clients) ws.terminate();
              } else {
                await new Promise((r) => setImmediate(r));
              }
            }
            const results = await Promise.all(calls.map((c) => c.outcome));
            await client.close();
            expect(settledTwice).toBe(false);
            results.forEach((r, i) => {
              const label = calls[i]?.label ?? '';
              const count = seen.get(label) ?? 0;
              expect(count).toBeLessThanOrEqual(1);
              if (r.status === 'fulfilled') {
                expect(r.value.data).toBe(label);
                expect(count).toBe(1);
              } else if (r.reason instanceof NotConnectedError) {
                expect(count).toBe(0);
              } else {
                expect(r.reason).toBeInstanceOf(ConnectionClosedError);
              }
            });
          },
        ),
        { numRuns: 12 },
      );
    } finally {
      await server.close();
    }
  });
});
