import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import type { PayloadKind } from './protocols.js';

/** Shape of a generated standalone ajv validator. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// The precompiled validators are CommonJS (ajv standalone code `require`s its runtime helpers). They live in
// `<package>/validators`, a sibling of both `src/` and `dist/`, so this same relative URL works from the
// TypeScript sources and from the published build. This file must stay at the top level of src/.
const requireFromHere = createRequire(import.meta.url);

/**
 * Loads the validator module of one payload. Callers must have checked that protocol and action exist:
 * the names become a file path.
 */
export function loadCompiledValidator(protocol: string, action: string, kind: PayloadKind): CompiledValidator {
  const url = new URL(`../validators/${protocol}/${action}.${kind}.cjs`, import.meta.url);
  const loaded = requireFromHere(fileURLToPath(url)) as CompiledValidator | { default: CompiledValidator };
  const fn = typeof loaded === 'function' ? loaded : loaded.default;
  if (typeof fn !== 'function') throw new Error(`Corrupt validator module for ${protocol} ${action} ${kind}`);
  return fn;
}
