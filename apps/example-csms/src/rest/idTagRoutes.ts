import { Router, type Request } from 'express';
import type { CsmsService } from '../domain/csmsService.js';
import { ID_TAG_STATUSES } from '../store/records.js';
import { HttpError, notFound } from './httpError.js';
import { parse, shape } from './validation.js';

/** Id tags: 1.6 IdToken is CiString20, 2.0.1 idToken is up to 36; the table holds either. */
const ID_TAG = { type: 'string', minLength: 1, maxLength: 36, pattern: /^[^\u0000-\u001f\u007f]+$/u, patternHint: 'must not contain control characters' } as const;
const fields = {
  status: { type: 'enum', values: ID_TAG_STATUSES, optional: true },
  expiryDate: { type: 'datetime', nullable: true, optional: true },
  parentIdTag: { ...ID_TAG, nullable: true, optional: true },
  description: { type: 'string', maxLength: 200, nullable: true, optional: true },
} as const;
const createBody = shape({ idTag: ID_TAG, ...fields });
const putBody = shape(fields);

function idTagParam(req: Request): string {
  const tag = req.params.idTag;
  if (typeof tag !== 'string' || tag.length === 0 || [...tag].length > 36) throw notFound('id tag');
  return tag;
}

/** `/id-tags`: the authorization table. */
export function idTagRoutes(service: CsmsService): Router {
  const router = Router();
  const { store } = service;

  router.get('/id-tags', async (_req, res) => {
    res.json({ items: await store.idTags.list() });
  });

  router.get('/id-tags/:idTag', async (req, res) => {
    const tag = await store.idTags.get(idTagParam(req));
    if (tag === undefined) throw notFound('id tag');
    res.json(tag);
  });

  router.post('/id-tags', async (req, res) => {
    const body = parse(req.body, createBody);
    // Insert-if-absent in one statement: of two operators creating the same tag at once, one gets 409.
    const inserted = await store.idTags.insert(
      {
        idTag: body.idTag,
        status: body.status ?? 'Accepted',
        expiryDate: body.expiryDate ?? null,
        parentIdTag: body.parentIdTag ?? null,
        description: body.description ?? null,
      },
      service.now(),
    );
    if (!inserted) throw new HttpError(409, 'AlreadyExists', `id tag ${body.idTag} already exists`);
    res.status(201).location(`/api/v1/id-tags/${encodeURIComponent(body.idTag)}`).json(await store.idTags.get(body.idTag));
  });

  router.put('/id-tags/:idTag', async (req, res) => {
    const idTag = idTagParam(req);
    const body = parse(req.body, putBody);
    const created = await store.idTags.upsert(
      {
        idTag,
        status: body.status ?? 'Accepted',
        expiryDate: body.expiryDate ?? null,
        parentIdTag: body.parentIdTag ?? null,
        description: body.description ?? null,
      },
      service.now(),
    );
    res.status(created ? 201 : 200).json(await store.idTags.get(idTag));
  });

  router.delete('/id-tags/:idTag', async (req, res) => {
    if (!(await store.idTags.delete(idTagParam(req)))) throw notFound('id tag');
    res.status(204).end();
  });

  return router;
}
