import { Router } from 'express';
import type { CsmsService } from '../domain/csmsService.js';
import { HttpError, notFound } from './httpError.js';
import { CHARGER_ID, parse, shape } from './validation.js';

const listQuery = shape({
  chargerId: { type: 'string', pattern: CHARGER_ID, patternHint: 'is not a valid charger id', optional: true },
  status: { type: 'enum', values: ['active', 'completed', 'all'], optional: true },
  limit: { type: 'integer', min: 1, max: 500, optional: true },
  offset: { type: 'integer', min: 0, optional: true },
});

/** `/transactions`: the same model whichever protocol version the charger speaks. */
export function transactionRoutes(service: CsmsService): Router {
  const router = Router();
  const { store } = service;

  router.get('/transactions', (req, res) => {
    const query = parse({ ...(req.query as Record<string, unknown>) }, listQuery, 'query');
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const status = query.status ?? 'all';
    const { items, total } = store.transactions.list({
      chargerId: query.chargerId,
      active: status === 'all' ? undefined : status === 'active',
      limit,
      offset,
    });
    res.json({ items, total, limit, offset });
  });

  router.get('/transactions/:id', (req, res) => {
    const raw = req.params.id;
    if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'ValidationError', 'transaction id must be a positive integer');
    const transaction = store.transactions.get(Number(raw));
    if (transaction === undefined) throw notFound(`transaction ${raw}`);
    res.json({ ...transaction, meterValues: store.meterValues.listByTransaction(transaction.id) });
  });

  return router;
}
