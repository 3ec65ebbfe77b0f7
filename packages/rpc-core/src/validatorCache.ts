import type { PayloadKind, Validator } from './ocppTypes.js';

export type ValidatorLookup = (protocol: string, action: string, kind: PayloadKind) => Validator | undefined;

/** Upper bound on remembered validators per lookup function (a custom lookup may accept any name). */
const MAX_ENTRIES = 10_000;

const byLookup = new WeakMap<ValidatorLookup, ValidatorCache>();

/**
 * Memo of validator lookups, shared by every endpoint that uses the same lookup function: two Map reads per
 * frame instead of building a key string, and one small structure that stays in the CPU cache instead of a
 * copy per connection (with a thousand busy connections, per-connection maps showed up as cache misses).
 * Only hits are remembered: action names come from the peer, and caching misses would let it grow the map.
 */
export class ValidatorCache {
  readonly #request = new Map<string, Map<string, Validator>>();
  readonly #response = new Map<string, Map<string, Validator>>();
  #entries = 0;
  readonly #lookup: ValidatorLookup;

  private constructor(lookup: ValidatorLookup) {
    this.#lookup = lookup;
  }

  /** The cache shared by every user of `lookup`. */
  static for(lookup: ValidatorLookup): ValidatorCache {
    let cache = byLookup.get(lookup);
    if (cache === undefined) byLookup.set(lookup, (cache = new ValidatorCache(lookup)));
    return cache;
  }

  get(protocol: string, action: string, kind: PayloadKind): Validator | undefined {
    const byProtocol = kind === 'request' ? this.#request : this.#response;
    let byAction = byProtocol.get(protocol);
    const hit = byAction?.get(action);
    if (hit !== undefined) return hit;
    const validator = this.#lookup(protocol, action, kind);
    if (validator !== undefined && this.#entries < MAX_ENTRIES) {
      if (byAction === undefined) byProtocol.set(protocol, (byAction = new Map<string, Validator>()));
      byAction.set(action, validator);
      this.#entries++;
    }
    return validator;
  }
}
