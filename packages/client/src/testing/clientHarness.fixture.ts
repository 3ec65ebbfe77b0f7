import { afterEach } from 'vitest';
import { OCPPClient } from '../ocppClient.js';
import type { OCPPClientEvents, OCPPClientOptions } from '../options.js';
import { startRawServer, type RawServer, type RawServerOptions } from './rawServer.fixture.js';

/**
 * Per-test raw servers and clients, torn down after each test (clients force-closed, servers closed).
 * Call once at the top of a test file.
 */
export function useClientHarness(): {
  server(options?: RawServerOptions): Promise<RawServer>;
  client(s: RawServer, extra?: Partial<OCPPClientOptions>): OCPPClient;
  forget(s: RawServer): void;
} {
  const servers: RawServer[] = [];
  const clients: OCPPClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    async server(options = {}) {
      const s = await startRawServer(options);
      servers.push(s);
      return s;
    },
    client(s, extra = {}) {
      const c = new OCPPClient({
        endpoint: s.url,
        identity: 'CP-1',
        protocols: ['ocpp1.6'],
        backoff: { initialMs: 20, maxMs: 200, jitter: 'none' },
        ...extra,
      });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    /** The test closed this server itself. */
    forget(s) {
      const i = servers.indexOf(s);
      if (i >= 0) servers.splice(i, 1);
    },
  };
}

/** The next emission of a client event. */
export function once<E extends keyof OCPPClientEvents>(client: OCPPClient, event: E): Promise<OCPPClientEvents[E][0]> {
  return new Promise((resolve) => {
    (client.once as (e: string, l: (p: OCPPClientEvents[E][0]) => void) => OCPPClient)(event, resolve);
  });
}
