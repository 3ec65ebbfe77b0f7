// Express REST and OCPP on one port. Run: npx tsx examples/express.ts
// then connect a charger to ws://localhost:3000/api/v1/chargers/CP-1 (subprotocol ocpp1.6 or ocpp2.0.1).
import { createServer } from 'node:http';
import express from 'express';
import { checkChargerPassword, defineMiddleware, formatPrometheus, OCPPServer } from '@chargewire/server';

const app = express();
const httpServer = createServer(app);
const ocpp = new OCPPServer({ server: httpServer, protocols: ['ocpp2.0.1', 'ocpp1.6'], strictMode: true });

// Connection middleware runs before the WebSocket is accepted.
const banned = new Set<string>(['10.0.0.66']);
ocpp.use(
  defineMiddleware(async (ctx, next) => {
    if (banned.has(ctx.handshake.remoteAddress)) return ctx.reject(403, 'Forbidden');
    await next();
  }),
);

// Security profile 1: Basic auth, username = identity, password as bytes.
const passwords = new Map<string, string>([['CP-1', 'correct-horse-battery-staple']]);
ocpp.auth((ctx) => {
  const { identity, password } = ctx.handshake;
  if (!password) return ctx.accept({ session: { identity, authenticated: false } }); // demo: allow anonymous
  if (!checkChargerPassword(password).ok || password.toString('utf8') !== passwords.get(identity)) return ctx.reject(401, 'Bad credentials');
  ctx.accept({ session: { identity, authenticated: true } });
});

// Handlers shared by every charger of the route (registered once, not per connection).
const chargers = ocpp.route('/api/v1/chargers/:id');
chargers.handle('ocpp1.6', 'BootNotification', ({ client }) => {
  console.log(`${client.handshake.params.id} booted`);
  return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
});
chargers.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
// Server-level handlers serve every route; a route's or a client's own handler overrides them.
ocpp.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
ocpp.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
chargers.on('client', (client) => {
  console.log(`${client.handshake.params.id} connected with ${client.protocol}`);
  client.on('disconnect', ({ code, reason }) => console.log(`${client.identity} left (${code} ${reason})`));
});

app.get('/api/v1/chargers', (_req, res) => {
  res.json([...ocpp.clients.values()].map((c) => ({ identity: c.identity, protocol: c.protocol })));
});

app.post('/api/v1/chargers/:id/reset', async (req, res) => {
  const charger = await ocpp.findClient(req.params.id);
  if (!charger) return void res.status(404).json({ error: 'not connected' });
  try {
    const result = await charger.call('ocpp1.6', 'Reset', { type: 'Soft' });
    res.json(result);
  } catch (err) {
    res.status(502).json({ error: String(err) });
  }
});

app.get('/metrics', (_req, res) => {
  res.type('text/plain; version=0.0.4').send(formatPrometheus(ocpp.stats()));
});

const port = Number(process.env.PORT ?? 3000);
httpServer.listen(port, () => console.log(`REST + OCPP on http://localhost:${port}`));

process.on('SIGINT', () => {
  // Closes chargers with 1001; the HTTP server is ours to close.
  void ocpp.close({ awaitPending: true }).then(() => httpServer.close());
});
