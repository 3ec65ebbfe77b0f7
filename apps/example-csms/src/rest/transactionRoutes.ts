import { Router } from 'express';
import { operatorOf } from '../auth/requireOperator.js';
import type { CsmsService } from '../domain/csmsService.js';
import { STOP_REASONS } from '../domain/stopReasons.js';
import { powerSeries } from '../domain/powerSeries.js';
import { HttpError, notFound } from './httpError.js';
import { CHARGER_ID, parse, shape } from './validation.js';

const listQuery = shape({
  chargerId: { type: 'string', pattern: CHARGER_ID, patternHint: 'is not a valid charger id', optional: true },
  status: { type: 'enum', values: ['active', 'completed', 'all'], optional: true },
  limit: { type: 'integer', min: 1, max: 500, optional: true },
  offset: { type: 'integer', min: 0, optional: true },
});
const closeBody = shape({ reason: { type: 'string', minLength: 1, maxLength: 200, optional: true } });

/** `/transactions`: the same model whichever protocol version the charger speaks. */
export function transactionRoutes(service: CsmsService): Router {
  const router = Router();
  const { store } = service;

  router.get('/transactions', async (req, res) => {
    const query = parse({ ...(req.query as Record<string, unknown>) }, listQuery, 'query');
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const status = query.status ?? 'all';
    const { items, total } = await store.transactions.list({
      chargerId: query.chargerId,
      active: status === 'all' ? undefined : status === 'active',
      limit,
      offset,
    });
    res.json({ items, total, limit, offset });
  });

  const transactionOf = async (raw: string) => {
    if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'ValidationError', 'transaction id must be a positive integer');
    const transaction = await store.transactions.get(Number(raw));
    if (transaction === undefined) throw notFound(`transaction ${raw}`);
    return transaction;
  };

  router.get('/transactions/:id', async (req, res) => {
    const transaction = await transactionOf(req.params.id);
    res.json({ ...transaction, meterValues: await store.meterValues.listByTransaction(transaction.id) });
  });

  /** The power chart of a transaction: kW over time and the energy so far. */
  router.get('/transactions/:id/power', async (req, res) => {
    const transaction = await transactionOf(req.params.id);
    const points = powerSeries(await store.meterValues.listByTransaction(transaction.id), { at: transaction.startedAt, meterStartWh: transaction.meterStartWh });
    res.json({ transactionId: transaction.id, chargerId: transaction.chargerId, active: transaction.active, energyWh: transaction.energyWh, points });
  });

  /**
   * Force-close: ends an open transaction the charger will never report ended (lost StopTransaction, a
   * charger gone for good), at its last known meter value, with `closedBy: 'operator'`. Operator auth and
   * the cross-site rules apply as to every state change under /api/v1.
   */
  router.post('/transactions/:id/close', async (req, res) => {
    const body = parse(req.body ?? {}, closeBody);
    const transaction = await transactionOf(req.params.id);
    const result = await service.forceClose(transaction.id, body.reason ?? STOP_REASONS.operator, operatorOf(req)?.name ?? 'unknown');
    if (result === undefined) throw notFound(`transaction ${req.params.id}`);
    if (!result.closed) throw new HttpError(409, 'TransactionNotActive', `transaction ${transaction.id} has already stopped`);
    res.json(result.transaction);
  });

  return router;
}
