import type { HandlerContext } from './handler.js';
import type { NOREPLY } from './noreply.js';

/**
 * `T` with every property that `Shape` does not declare turned into `never`, at any depth (objects in
 * arrays and in union members included). A value of type `T` is assignable to `Exact<T, Shape>` only when
 * it carries no property beyond the schema's: TypeScript checks excess properties of object literals
 * only where they are written against a declared type, not in a handler's inferred return type.
 *
 * Unions in `Shape` distribute (an optional field's `X | undefined`, enum-like members), so `T` must fit
 * one member exactly. Index signatures (`customData`'s vendor fields) accept any key.
 */
export type Exact<T, Shape> = T extends Primitive
  ? T
  : T extends readonly (infer E)[]
    ? Shape extends readonly (infer SE)[]
      ? readonly Exact<E, SE>[]
      : Shape
    : Shape extends object
      ? { [K in keyof T]: K extends keyof Shape ? Exact<T[K], Shape[K]> : never }
      : Shape;

/** Values without properties to check (NOREPLY, a branded symbol, among them). */
type Primitive = string | number | boolean | bigint | symbol | null | undefined | void;

/** The result type `R` of a handler, checked with {@link Exact} against the response `Res` (NOREPLY and promises allowed). */
export type ExactResult<R, Res> = R extends Promise<infer V> ? Promise<Exact<V, Res | typeof NOREPLY>> : Exact<R, Res | typeof NOREPLY>;

/**
 * The exactness check of a typed handler `F`: the same function type with its result passed through
 * {@link ExactResult}. A `handle()` parameter typed `F & ExactHandler<F, …>` infers `F` from the handler
 * (its literals typed by `F`'s constraint, so `'Accepted'` does not widen) and then rejects extra properties.
 */
export type ExactHandler<F, Req, Res, Client> = F extends (ctx: never) => infer R ? (ctx: HandlerContext<Req, Res, Client>) => ExactResult<R, Res> : never;
