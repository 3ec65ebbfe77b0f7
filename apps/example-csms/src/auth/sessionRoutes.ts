import express, { Router } from 'express';
import { FailureWindow } from '../limits/failureWindow.js';
import { HttpError } from '../rest/httpError.js';
import { parse, shape } from '../rest/validation.js';
import type { OperatorCredentials } from './operatorCredentials.js';
import { checkCookieRequest } from './sameOrigin.js';
import { readCookie, SESSION_COOKIE, setSessionCookie } from './sessionCookie.js';

const loginBody = shape({ token: { type: 'string', minLength: 1, maxLength: 512 } });

/**
 * `/auth`: the dashboard's login and logout. Logging in is a state change too, so it needs the same
 * same-origin JSON request as any cookie request (no login CSRF). Failed logins are limited per address
 * (10 a minute) although tokens are 256-bit random: ADMIN_TOKEN may be chosen by a person.
 */
export function sessionRoutes(credentials: OperatorCredentials): Router {
  const router = Router();
  const failures = new FailureWindow(10, 60_000);
  router.use(express.json({ limit: '4kb', strict: true }));

  router.post('/login', async (req, res) => {
    const forged = checkCookieRequest(req);
    if (forged !== undefined) throw forged;
    const address = req.ip ?? 'unknown';
    const blockedMs = failures.blockedFor(address);
    if (blockedMs > 0) {
      res.setHeader('Retry-After', String(Math.ceil(blockedMs / 1000)));
      throw new HttpError(429, 'TooManyAttempts', 'too many failed logins; try again later');
    }
    const { token } = parse(req.body, loginBody);
    const session = await credentials.login(token.trim());
    if (session === undefined) {
      failures.fail(address);
      throw new HttpError(401, 'Unauthorized', 'this token is not valid');
    }
    failures.clear(address);
    setSessionCookie(req, res, session, credentials.sessionTtlMs);
    res.status(204).end();
  });

  router.post('/logout', async (req, res) => {
    const forged = checkCookieRequest(req);
    if (forged !== undefined) throw forged;
    const session = readCookie(req, SESSION_COOKIE);
    if (session !== undefined) await credentials.endSession(session);
    setSessionCookie(req, res, undefined, 0);
    res.status(204).end();
  });

  return router;
}
