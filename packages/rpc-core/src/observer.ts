import type { RpcEndpointEvents } from './events.js';

/**
 * Receives an endpoint's events without a listener on the endpoint. One observer can serve every endpoint
 * of a server (counters, logs, bookkeeping): tens of thousands of endpoints then carry no listener table
 * each. A method is called before the event's listeners, with the endpoint the event came from; the
 * payload is built only when an observer method or a listener wants it.
 */
export type RpcEndpointObserver<Endpoint> = {
  readonly [E in keyof RpcEndpointEvents]?: (endpoint: Endpoint, ...args: RpcEndpointEvents[E]) => void;
};
