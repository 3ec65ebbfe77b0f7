import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdentity } from './identity.js';
import type { ServerClient } from './serverClient.js';
import { connectRaw, UpgradeRefused } from './testing/wsClient.fixture.js';
import { useServers } from './testing/serverHarness.fixture.js';

const start = useServers();

describe('identity over real sockets (property)', () => {
  it('any percent-encoded identity is either served verbatim or refused with 400, per the 2.x rules', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'] });
    const seen: ServerClient[] = [];
    server.on('client', (c) => seen.push(c));
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }), async (identity) => {
        const valid = checkIdentity(identity, 'ocpp2.0.1').ok;
        try {
          const raw = await connectRaw(`${url}/ocpp/${encodeURIComponent(identity)}`, 'ocpp2.0.1');
          expect(valid).toBe(true);
          expect(seen.at(-1)?.identity).toBe(identity);
          raw.ws.terminate();
        } catch (err) {
          if (!(err instanceof UpgradeRefused)) throw err;
          expect(valid).toBe(false);
          expect(err.status).toBe(400);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('Basic credentials bound to the identity (property)', () => {
  it('in profile 0, a connection with Basic credentials is served iff the username is the identity', async () => {
    const { url } = await start({ protocols: ['ocpp1.6'] });
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(name, fc.oneof(name, fc.constant('')), fc.uint8Array({ minLength: 0, maxLength: 40 }), async (identity, other, password) => {
        const username = other === '' ? identity : other;
        const authorization = 'Basic ' + Buffer.concat([Buffer.from(`${username}:`), Buffer.from(password)]).toString('base64');
        try {
          const raw = await connectRaw(`${url}/ocpp/${identity}`, 'ocpp1.6', { headers: { Authorization: authorization } });
          expect(username).toBe(identity);
          raw.ws.terminate();
        } catch (err) {
          if (!(err instanceof UpgradeRefused)) throw err;
          expect(username).not.toBe(identity);
          expect(err.status).toBe(401);
        }
      }),
      { numRuns: 40 },
    );
  });
});
