import type { PayloadKind, Validator } from './ocppTypes.js';

export type ValidatorLookup = (protocol: string, action: string, kind: PayloadKind) => Validator | undefined;

/**
 * Per-endpoint memo of validator lookups for the current protocol, so the hot path does two Map reads
 * instead of building a key string per frame. Only hits are remembered: action names come from the peer,
 * and caching misses would let it grow the map without bound.
 */
export class ValidatorCache {
  private protocol = '';
  /** Created on the first hit of each kind: an idle connection holds no maps. */
  private request: Map<string, Validator> | undefined;
  private response: Map<string, Validator> | undefined;

  constructor(private readonly lookup: ValidatorLookup) {}

  get(protocol: string, action: string, kind: PayloadKind): Validator | undefined {
    if (protocol !== this.protocol) {
      this.protocol = protocol;
      this.request?.clear();
      this.response?.clear();
    }
    const isRequest = kind === 'request';
    const map = isRequest ? this.request : this.response;
    let validator = map?.get(action);
    if (validator === undefined) {
      validator = this.lookup(protocol, action, kind);
      if (validator !== undefined) {
        if (map) map.set(action, validator);
        else if (isRequest) this.request = new Map([[action, validator]]);
        else this.response = new Map([[action, validator]]);
      }
    }
    return validator;
  }
}
