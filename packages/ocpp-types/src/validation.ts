import { lookupAction } from './actions.js';
import type { PayloadKind, ProtocolName } from './protocols.js';
import { PROTOCOLS } from './protocols.js';
import { ACTION_TABLE } from './generated/actionTable.js';
import { loadCompiledValidator } from './validatorModules.js';
import type { ValidationResult } from './violations.js';
import { toViolations } from './violations.js';

/** Validates one payload against its official schema. */
export type Validator = (payload: unknown) => ValidationResult;

const VALID: ValidationResult = Object.freeze({ valid: true });
const cache = new Map<string, Validator>();

/**
 * The precompiled validator of a request or response payload. Validator modules are loaded lazily, one per
 * action and kind, so a process only loads what it uses; nothing is compiled at run time.
 *
 * @returns undefined when the protocol or action is unknown (answer NotImplemented), or for the response
 *   of a SEND-only message (it has none).
 * @example
 * const validate = getValidator('ocpp1.6', 'Heartbeat', 'request');
 * validate?.({}); // { valid: true }
 */
export function getValidator(protocol: string, action: string, kind: PayloadKind): Validator | undefined {
  const info = lookupAction(protocol, action);
  if (!info || (kind !== 'request' && kind !== 'response')) return undefined;
  if (kind === 'response' && info.send) return undefined;
  const key = `${protocol} ${action} ${kind}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = loadCompiledValidator(protocol, action, kind);
  const validator: Validator = (payload) =>
    compiled(payload) ? VALID : { valid: false, violations: toViolations(compiled.errors ?? [], protocol) };
  cache.set(key, validator);
  return validator;
}

/**
 * Loads every validator of the given protocols up front (all protocols by default), trading start-up time
 * and memory for no first-use latency. Returns the number of validators loaded.
 */
export function preloadValidators(protocols: readonly ProtocolName[] = PROTOCOLS): number {
  let count = 0;
  for (const protocol of protocols) {
    for (const action of Object.keys(ACTION_TABLE[protocol])) {
      for (const kind of ['request', 'response'] as const) {
        if (getValidator(protocol, action, kind)) count++;
      }
    }
  }
  return count;
}
