import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { HttpError } from './httpError.js';

/** 404 for any path under the API that no route matched. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'NotFound', `no route for ${req.method} ${req.baseUrl}${req.path}`));
};

/**
 * Every error as `{ error, message, details? }`. Body-parser failures become 400/413/415; anything
 * unexpected is logged and answered 500 without its text.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let httpError: HttpError;
    const e = err as { type?: unknown; status?: unknown };
    if (err instanceof HttpError) httpError = err;
    else if (e?.type === 'entity.parse.failed') httpError = new HttpError(400, 'InvalidJson', 'request body is not valid JSON');
    else if (e?.type === 'entity.too.large') httpError = new HttpError(413, 'PayloadTooLarge', 'request body is too large');
    else if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
      httpError = new HttpError(415, 'UnsupportedMediaType', 'unsupported body encoding');
    else {
      logger.error('REST handler failed', { method: req.method, path: req.path, err: err instanceof Error ? err.message : String(err) });
      httpError = new HttpError(500, 'InternalError', 'internal error');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(httpError.status).json(httpError.toJSON());
  };
}
