import { describe, expect, it } from 'vitest';
import type { Logger } from './index.js';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';
import { useServers } from './testing/serverHarness.fixture.js';

const start = useServers();

/** A pino-compatible logger that records calls. */
function captureLogger(): Logger & { lines: Array<{ level: string; obj: object; msg?: string }> } {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('logger', () => {
  it('logs connections, refusals and disconnects to the given logger', async () => {
    const logger = captureLogger();
    const { server, url } = await start({ logger });
    server.auth((ctx) => (ctx.handshake.identity === 'BAD' ? ctx.reject(403, 'no') : ctx.accept()));
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    while (!server.clients.has('CP-1')) await new Promise((r) => setTimeout(r, 5));
    await refusedStatus(`${url}/BAD`);
    const client = server.clients.get('CP-1');
    expect(client).toBeDefined();
    raw.ws.close();
    await client?.closed();
    expect(logger.lines.find((l) => l.msg === 'Client connected')?.obj).toMatchObject({ identity: 'CP-1', protocol: 'ocpp1.6' });
    expect(logger.lines.find((l) => l.msg === 'Connection refused')?.obj).toMatchObject({ status: 403 });
    expect(logger.lines.find((l) => l.msg === 'Client disconnected')?.obj).toMatchObject({ identity: 'CP-1' });
  });
});
