import type { CallOptions } from './options.js';

/**
 * Untyped implementations of the facade's methods. Their typed signatures are declared once, in
 * `OcppPeer` and its parts; a class declares `declare readonly call: OcppCaller<…>['call']` and installs
 * the implementation on its prototype with {@link definePeerMethods}, so the signatures are never restated
 * and no cast sits on the call path.
 */
export interface PeerMethods {
  call?(protocol: string, action: string, params: unknown, options?: CallOptions): Promise<unknown>;
  send?(protocol: string, action: string, params: unknown): void;
  handle?(protocolOrHandler: unknown, action?: unknown, handler?: unknown): void;
}

/**
 * Installs `methods` on a class prototype (non-enumerable, like class methods). `this` inside them is the
 * instance, so a class may call it from a `static {}` block and reach its private fields. `T` is given
 * explicitly: inside a generic class's static block `this.prototype` is typed with `any` type arguments.
 */
export function definePeerMethods<T extends object>(prototype: object, methods: PeerMethods & ThisType<T>): void {
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(prototype, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
