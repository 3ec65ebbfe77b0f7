import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import type { HandlerRegistry } from '@chargewire/rpc-core';
import type { AuthHandler } from './auth.js';
import { resolveRouteOptions } from './options.js';
import type { OCPPServerOptions, ResolvedRouteOptions, RouteOptions } from './options.js';
import { Route } from './route.js';
import type { RouteParams } from './routePattern.js';

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** A route that matched a request path, with its parameters. */
export interface RouteMatch<M extends ProtocolMap> {
  route: Route<M>;
  params: Readonly<Record<string, string>>;
}

/**
 * The server's routes in declaration order, plus the default route: the server's own `path` option, or a
 * catch-all while no route is declared (so `new OCPPServer().listen()` serves any path).
 */
export class RouteTable<M extends ProtocolMap = OcppProtocols> {
  readonly #routes: Route<M>[] = [];
  #default: Route<M> | undefined;
  readonly #serverOptions: OCPPServerOptions;
  readonly #serverHandlers: HandlerRegistry;

  constructor(
    serverOptions: OCPPServerOptions,
    /** The server's handlers: every route's handlers fall back to them. */
    serverHandlers: HandlerRegistry,
  ) {
    this.#serverOptions = serverOptions;
    this.#serverHandlers = serverHandlers;
  }

  add<const Pattern extends string>(pattern: Pattern, options: RouteOptions): Route<M, RouteParams<Pattern>> {
    const route = new Route<M, RouteParams<Pattern>>(pattern, resolveRouteOptions(options, this.#serverOptions), this.#serverHandlers);
    this.#routes.push(route);
    return route;
  }

  /** Whether `route` is the default route (it has no `client` event of its own). */
  isDefault(route: Route<M>): boolean {
    return route === this.#default;
  }

  match(path: string): RouteMatch<M> | undefined {
    for (const route of this.#routes) {
      const params = route.pattern.match(path);
      if (params) return { route, params };
    }
    const ownPath = this.#serverOptions.path;
    if (this.#routes.length === 0 || ownPath !== undefined) {
      this.#default ??= new Route<M>(ownPath ?? '/*', resolveRouteOptions({}, this.#serverOptions), this.#serverHandlers);
      const params = this.#default.pattern.match(path);
      // The catch-all default route has no meaningful parameters.
      if (params) return { route: this.#default, params: ownPath === undefined ? NO_PARAMS : params };
    }
    return undefined;
  }

  /** Every route connections can reach now, with the options and auth handler it would use. */
  *reachable(serverAuth: AuthHandler | undefined): Generator<{ pattern: string; options: ResolvedRouteOptions; auth: AuthHandler | undefined }> {
    for (const route of this.#routes) yield { pattern: route.pattern.source, options: route.options, auth: route.authHandler ?? serverAuth };
    const ownPath = this.#serverOptions.path;
    if (this.#routes.length === 0 || ownPath !== undefined) {
      yield { pattern: ownPath ?? '/*', options: this.#default?.options ?? resolveRouteOptions({}, this.#serverOptions), auth: serverAuth };
    }
  }

  /** Closes every route's WebSocketServer (not the connections: the server closes those first). */
  closeAll(): void {
    for (const route of this.#routes) route.closeWss();
    this.#default?.closeWss();
  }
}
