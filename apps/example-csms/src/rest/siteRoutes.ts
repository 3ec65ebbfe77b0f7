import express, { Router } from 'express';
import { isSiteLimitKw, MAX_SITE_LIMIT_KW, type SiteCharging } from '../domain/siteCharging.js';
import { HttpError } from './httpError.js';

/**
 * `/site`: the site limit and each running transaction's allocation next to its measured power.
 * Without SITE_LIMIT_KW the routes answer 404 with a hint.
 */
export function siteRoutes(site: SiteCharging | undefined): Router {
  const router = Router();
  const enabled = (): SiteCharging => {
    if (site === undefined) throw new HttpError(404, 'NotFound', 'smart charging is off: start the CSMS with SITE_LIMIT_KW');
    return site;
  };
  router.get('/site', (_req, res) => {
    res.json(enabled().view());
  });
  router.put('/site', express.json({ limit: '1kb', strict: true }), (req, res) => {
    const current = enabled();
    if (!req.is('application/json')) throw new HttpError(415, 'UnsupportedMediaType', 'send the body as application/json');
    const body = req.body as unknown;
    const keys = typeof body === 'object' && body !== null ? Object.keys(body) : [];
    const limitKw = (body as { limitKw?: unknown } | null)?.limitKw;
    if (keys.length !== 1 || !isSiteLimitKw(limitKw)) {
      throw new HttpError(400, 'ValidationError', 'invalid body', [{ field: 'limitKw', message: `must be a number of kW above 0 and at most ${MAX_SITE_LIMIT_KW} (and the only field)` }]);
    }
    current.setLimitKw(limitKw);
    res.json(current.view());
  });
  return router;
}
