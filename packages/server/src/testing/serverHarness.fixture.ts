import { afterEach } from 'vitest';
import { OCPPServer } from '../ocppServer.js';
import type { OCPPServerOptions } from '../options.js';
import type { ServerClient } from '../serverClient.js';

/**
 * Starts servers on 127.0.0.1:0 and closes them after each test. `setup` runs before `listen()` (auth handlers
 * that security profiles 1 and 2 need before the server may start).
 */
export function useServers(): (options?: OCPPServerOptions, setup?: (server: OCPPServer) => void) => Promise<{ server: OCPPServer; url: string; port: number }> {
  const servers: OCPPServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close({ timeoutMs: 2000 })));
  });
  return async (options = {}, setup) => {
    const server = new OCPPServer({ pingIntervalMs: 0, ...options });
    servers.push(server);
    setup?.(server);
    const { port } = await server.listen(0, '127.0.0.1');
    return { server, url: `ws://127.0.0.1:${port}`, port };
  };
}

/** Resolves with the next `client` event. */
export function nextClient(emitter: { once(e: 'client', l: (c: ServerClient) => void): unknown }): Promise<ServerClient> {
  return new Promise((resolve) => emitter.once('client', resolve));
}
