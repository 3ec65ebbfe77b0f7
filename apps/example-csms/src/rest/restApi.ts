import express, { Router } from 'express';
import type { CsmsService } from '../domain/csmsService.js';
import type { ChargerDirectory } from './chargerDirectory.js';
import { chargerRoutes } from './chargerRoutes.js';
import { commandRoutes } from './commandRoutes.js';
import { apiNotFound } from './errorHandler.js';
import type { EventStream } from './eventStream.js';
import { HttpError } from './httpError.js';
import { idTagRoutes } from './idTagRoutes.js';
import { monitoringRoutes, type MonitoringSources } from './monitoringRoutes.js';
import { transactionRoutes } from './transactionRoutes.js';

export interface RestApiOptions {
  service: CsmsService;
  directory: ChargerDirectory;
  events: EventStream;
  /** Timeout of a CALL made on behalf of a REST request when `?timeoutMs` is not given. */
  commandTimeoutMs: number;
  monitoring: Omit<MonitoringSources, 'events'>;
}

/**
 * Everything under `/api/v1` (the OCPP WebSocket upgrade on `/api/v1/chargers/:id` never reaches Express).
 * Mounted behind the operator check in app.ts.
 */
export function restApi(options: RestApiOptions): Router {
  const api = Router();
  // A body that is not JSON would otherwise be skipped by the parser and look like "no fields".
  api.use((req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (hasBody && !req.is('application/json')) {
      next(new HttpError(415, 'UnsupportedMediaType', 'send the body as application/json'));
      return;
    }
    next();
  });
  api.use(express.json({ limit: '64kb', strict: true }));
  api.get('/events', options.events.handle);
  api.use(monitoringRoutes({ ...options.monitoring, events: options.events }));
  api.use(chargerRoutes(options.service, options.directory));
  api.use(commandRoutes(options.service, options.directory, options.commandTimeoutMs));
  api.use(transactionRoutes(options.service));
  api.use(idTagRoutes(options.service));
  api.use(apiNotFound);
  return api;
}
