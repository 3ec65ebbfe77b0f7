import { Router, type Request } from 'express';
import type { CsmsService } from '../domain/csmsService.js';
import {
  changeConfiguration,
  getConfiguration,
  ID_TOKEN_TYPES,
  remoteStart,
  remoteStop,
  reset,
  unlockConnector,
  type ChargerLink,
} from '../ocpp/chargerCommands.js';
import { toVariableAddress } from '../ocpp/configurationKeys.js';
import { chargerCallError, type ChargerDirectory, type LocatedCharger } from './chargerDirectory.js';
import { chargerIdParam } from './chargerRoutes.js';
import { HttpError, notFound } from './httpError.js';
import { parse, shape } from './validation.js';

const timeoutQuery = shape({ timeoutMs: { type: 'integer', min: 100, max: 120_000, optional: true } });
const remoteStartBody = shape({
  connectorId: { type: 'integer', min: 1, max: 1000, optional: true },
  idTag: { type: 'string', minLength: 1, maxLength: 36 },
  idTokenType: { type: 'enum', values: ID_TOKEN_TYPES, optional: true },
});
const remoteStopBody = shape({ transactionId: { type: 'integer', min: 1 } });
const resetBody = shape({ type: { type: 'enum', values: ['Soft', 'Hard'], optional: true } });
const unlockBody = shape({ connectorId: { type: 'integer', min: 1, max: 1000 } });
const changeConfigurationBody = shape({
  key: { type: 'string', minLength: 1, maxLength: 50 },
  value: { type: 'string', maxLength: 500 },
});

/** The per-call timeout from `?timeoutMs=`, else the server default. */
function timeoutOf(req: Request): number | undefined {
  const raw = (req.query as Record<string, unknown>).timeoutMs;
  return parse(raw === undefined ? {} : { timeoutMs: raw }, timeoutQuery, 'query').timeoutMs;
}

/**
 * Commands sent to a charger: it must be registered here (else 404) and connected somewhere in the
 * cluster (else 409). The version-specific message is chosen from the protocol of its connection.
 */
export function commandRoutes(service: CsmsService, directory: ChargerDirectory, defaultTimeoutMs: number): Router {
  const router = Router();
  const { store } = service;

  async function locate(req: Request): Promise<{ id: string; charger: LocatedCharger; link: ChargerLink }> {
    const id = chargerIdParam(req);
    if ((await store.chargers.get(id)) === undefined) throw notFound(`charger ${id}`);
    const charger = await directory.find(id);
    if (charger === undefined) throw new HttpError(409, 'ChargerOffline', `charger ${id} is not connected`);
    const timeoutMs = timeoutOf(req) ?? defaultTimeoutMs;
    // Bind the timeout so every command helper uses it.
    const link: ChargerLink = { call: (protocol, action, params, options) => charger.link.call(protocol, action, params, { timeoutMs, ...options }) };
    return { id, charger, link };
  }

  async function run<T>(id: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw chargerCallError(err, id);
    }
  }

  router.post('/chargers/:id/remote-start', async (req, res) => {
    const body = parse(req.body, remoteStartBody);
    const { id, charger, link } = await locate(req);
    if (charger.protocol === 'ocpp1.6' && [...body.idTag].length > 20) {
      throw new HttpError(400, 'ValidationError', 'invalid body: idTag must be at most 20 characters for an OCPP 1.6 charger', [
        { field: 'idTag', message: 'must be at most 20 characters for an OCPP 1.6 charger' },
      ]);
    }
    const result = await run(id, () =>
      remoteStart(link, charger.protocol, body, (remoteStartId) => service.rememberRemoteStart(id, remoteStartId, body.idTag)),
    );
    res.json({ chargerId: id, protocol: charger.protocol, ...result });
  });

  router.post('/chargers/:id/remote-stop', async (req, res) => {
    const body = parse(req.body, remoteStopBody);
    const { id, charger, link } = await locate(req);
    const transaction = await store.transactions.get(body.transactionId);
    if (transaction === undefined || transaction.chargerId !== id) throw notFound(`transaction ${body.transactionId} of charger ${id}`);
    if (!transaction.active) throw new HttpError(409, 'TransactionNotActive', `transaction ${body.transactionId} has already stopped`);
    if (transaction.protocol !== charger.protocol) {
      throw new HttpError(409, 'ProtocolChanged', `transaction ${body.transactionId} was started over ${transaction.protocol}, the charger now speaks ${charger.protocol}`);
    }
    const result = await run(id, () => remoteStop(link, charger.protocol, transaction.ocppTransactionId));
    res.json({ chargerId: id, protocol: charger.protocol, transactionId: transaction.id, ...result });
  });

  router.post('/chargers/:id/reset', async (req, res) => {
    const body = parse(req.body ?? {}, resetBody);
    const { id, charger, link } = await locate(req);
    const result = await run(id, () => reset(link, charger.protocol, body.type ?? 'Soft'));
    res.json({ chargerId: id, protocol: charger.protocol, ...result });
  });

  router.post('/chargers/:id/unlock', async (req, res) => {
    const body = parse(req.body, unlockBody);
    const { id, charger, link } = await locate(req);
    const result = await run(id, () => unlockConnector(link, charger.protocol, body.connectorId));
    res.json({ chargerId: id, protocol: charger.protocol, connectorId: body.connectorId, ...result });
  });

  router.get('/chargers/:id/configuration', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const unknown = Object.keys(query).filter((name) => name !== 'key' && name !== 'timeoutMs');
    if (unknown.length > 0) {
      throw new HttpError(400, 'ValidationError', `invalid query: unknown parameter ${unknown.join(', ')}`);
    }
    const key = query.key;
    const keys = (key === undefined ? [] : Array.isArray(key) ? key : [key]).flatMap((k) => String(k).split(',')).filter((k) => k !== '');
    for (const k of keys) {
      if (k.length > 50) throw new HttpError(400, 'ValidationError', `invalid query: key ${JSON.stringify(k.slice(0, 60))} is longer than 50 characters`);
    }
    if (keys.length > 100) throw new HttpError(400, 'ValidationError', 'invalid query: at most 100 keys at once');
    const { id, charger, link } = await locate(req);
    const result = await run(id, () => getConfiguration(link, charger.protocol, keys));
    res.json({ chargerId: id, protocol: charger.protocol, ...result });
  });

  router.put('/chargers/:id/configuration', async (req, res) => {
    const body = parse(req.body, changeConfigurationBody);
    const { id, charger, link } = await locate(req);
    if (charger.protocol === 'ocpp2.0.1' && toVariableAddress(body.key) === undefined) {
      throw new HttpError(400, 'ValidationError', `invalid body: key must be a known 1.6 key or Component.Variable for an OCPP 2.0.1 charger`, [
        { field: 'key', message: 'must be a known 1.6 key or Component.Variable for an OCPP 2.0.1 charger' },
      ]);
    }
    const result = await run(id, () => changeConfiguration(link, charger.protocol, body.key, body.value));
    res.json({ chargerId: id, protocol: charger.protocol, key: body.key, ...result });
  });

  return router;
}
