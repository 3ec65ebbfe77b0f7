import { Router, type Request } from 'express';
import type { CsmsService } from '../domain/csmsService.js';
import { hashPassword } from '../domain/credentials.js';
import { REGISTRATION_STATUSES } from '../store/records.js';
import { HttpError, notFound } from './httpError.js';
import { CHARGER_ID, parse, shape } from './validation.js';
import { chargerView } from './views.js';
import type { ChargerDirectory } from './chargerDirectory.js';

/** Basic-auth passwords: 16–40 characters (OCPP security profile 1/2), printable, no control characters. */
const PASSWORD = { type: 'string', minLength: 16, maxLength: 40, pattern: /^[^\u0000-\u001f\u007f]+$/u, patternHint: 'must not contain control characters', nullable: true, optional: true } as const;

const registerBody = shape({
  id: { type: 'string', pattern: CHARGER_ID, patternHint: 'must be 1-48 characters without whitespace, ":", "/", "\\", "?", "#" or "%"' },
  password: PASSWORD,
  registrationStatus: { type: 'enum', values: REGISTRATION_STATUSES, optional: true },
  description: { type: 'string', maxLength: 200, nullable: true, optional: true },
});

const updateBody = shape({
  password: PASSWORD,
  registrationStatus: { type: 'enum', values: REGISTRATION_STATUSES, optional: true },
  description: { type: 'string', maxLength: 200, nullable: true, optional: true },
});

/** The charger id from the path, checked like a registration id (404 for anything that cannot exist). */
export function chargerIdParam(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || !CHARGER_ID.test(id)) throw notFound(`charger ${JSON.stringify(String(id))}`);
  return id;
}

/** `/chargers`: list, read, register, update, delete. */
export function chargerRoutes(service: CsmsService, directory: ChargerDirectory): Router {
  const router = Router();
  const { store } = service;

  router.get('/chargers', async (_req, res) => {
    const [connectors, rows] = await Promise.all([store.connectors.listAll(), store.chargers.list()]);
    // A row that says "connected" may be stale: left by a crash of this node, or of another cluster node.
    // Local rows are checked against the open sockets, remote ones against the cluster presence.
    const remoteChecks = rows
      .filter((c) => c.connected && c.nodeId !== directory.nodeId)
      .map(async (c) => [c.id, (await directory.find(c.id).catch(() => undefined))?.nodeId] as const);
    const remote = new Map(await Promise.all(remoteChecks));
    const items = rows.map((c) => {
      if (!c.connected) return chargerView(c, connectors.get(c.id) ?? []);
      const liveNode = c.nodeId === directory.nodeId ? (directory.isLocal(c.id) ? c.nodeId : undefined) : remote.get(c.id);
      const live = liveNode === undefined ? { ...c, connected: false, nodeId: null } : { ...c, nodeId: liveNode };
      return chargerView(live, connectors.get(c.id) ?? []);
    });
    res.json({ items });
  });

  router.get('/chargers/:id', async (req, res) => {
    const id = chargerIdParam(req);
    const charger = await store.chargers.get(id);
    if (charger === undefined) throw notFound(`charger ${id}`);
    const view = chargerView(charger, await store.connectors.listByCharger(id));
    // The stored row says where the charger was last seen; the cluster presence says where it is now.
    const live = await directory.find(id);
    if (live !== undefined) Object.assign(view, { connected: true, nodeId: live.nodeId, protocol: live.protocol });
    else Object.assign(view, { connected: false, nodeId: null });
    const active = (await store.transactions.list({ chargerId: id, active: true, limit: 100, offset: 0 })).items;
    res.json({ ...view, activeTransactions: active });
  });

  router.post('/chargers', async (req, res) => {
    const body = parse(req.body, registerBody);
    if ((await store.chargers.get(body.id)) !== undefined) {
      throw new HttpError(409, 'AlreadyExists', `charger ${body.id} is already registered`);
    }
    const passwordHash = typeof body.password === 'string' ? await hashPassword(body.password) : null;
    const inserted = await store.chargers.insert(
      { id: body.id, passwordHash, registrationStatus: body.registrationStatus ?? 'Accepted', description: body.description ?? null },
      service.now(),
    );
    if (!inserted) throw new HttpError(409, 'AlreadyExists', `charger ${body.id} is already registered`);
    service.emit('event', { type: 'charger.updated', chargerId: body.id });
    res.status(201).location(`/api/v1/chargers/${encodeURIComponent(body.id)}`);
    res.json(chargerView((await store.chargers.get(body.id))!, []));
  });

  router.patch('/chargers/:id', async (req, res) => {
    const id = chargerIdParam(req);
    const body = parse(req.body, updateBody);
    if ((await store.chargers.get(id)) === undefined) throw notFound(`charger ${id}`);
    const changes: Parameters<typeof store.chargers.update>[1] = {};
    if (body.password !== undefined) changes.passwordHash = body.password === null ? null : await hashPassword(body.password);
    if (body.registrationStatus !== undefined) changes.registrationStatus = body.registrationStatus;
    if (body.description !== undefined) changes.description = body.description;
    await store.chargers.update(id, changes, service.now());
    service.emit('event', { type: 'charger.updated', chargerId: id });
    res.json(chargerView((await store.chargers.get(id))!, await store.connectors.listByCharger(id)));
  });

  router.delete('/chargers/:id', async (req, res) => {
    const id = chargerIdParam(req);
    if (!(await store.chargers.delete(id))) throw notFound(`charger ${id}`);
    // Its credentials are gone, so its open session must not outlive them (on another node, its next
    // message is refused with SecurityError because it is no longer registered).
    directory.disconnectLocal(id, 'Charger removed');
    service.emit('event', { type: 'charger.updated', chargerId: id });
    res.status(204).end();
  });

  return router;
}
