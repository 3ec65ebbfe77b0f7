import type { ProtocolMap } from '@chargewire/ocpp-types';
import { RpcEndpoint, type RpcEndpointObserver } from '@chargewire/rpc-core';
import type { ServerClient } from './serverClient.js';
import type { StatsCollector } from './stats.js';
import type { WsChannel } from './wsChannel.js';

/**
 * The rpc-core endpoint of one server connection. It carries its client and channel so that the server's
 * one shared observer can find them: no listener closures and no listener table per connection.
 */
export class ClientEndpoint<M extends ProtocolMap = ProtocolMap> extends RpcEndpoint<'CSMS', M> {
  client: ServerClient<M> | undefined = undefined;
  /** Cleared once the server has processed the close. */
  channel: WsChannel | undefined = undefined;

  /** Handlers (the client's own, its route's, its server's) get the ServerClient as `ctx.client`. */
  override get contextClient(): unknown {
    return this.client;
  }
}

/** Called once per connection, after the endpoint has settled its calls. */
export type EndpointClosed<M extends ProtocolMap> = (client: ServerClient<M>, channel: WsChannel, code: number, reason: string) => void;

/**
 * The observer every endpoint of a server shares: feeds the counters and reports closes. Calls are counted
 * when they complete (result or error), so the per-call 'call' event is not observed and rpc-core skips
 * building it.
 */
export function createEndpointObserver<M extends ProtocolMap>(stats: StatsCollector, onClosed: EndpointClosed<M>): RpcEndpointObserver<RpcEndpoint<'CSMS'>> {
  return {
    callResult(_endpoint, e) {
      if (e.direction === 'in') {
        stats.callsIn++;
        stats.latencyIn.record(e.durationMs);
      } else {
        stats.callsOut++;
        stats.latencyOut.record(e.durationMs);
      }
    },
    callError(_endpoint, e) {
      if (e.direction === 'in') stats.callsIn++;
      else stats.callsOut++;
      stats.error(e.error.code);
    },
    badMessage() {
      stats.badMessages++;
    },
    close(endpoint, { code, reason }) {
      // Every endpoint this observer is given to is a ClientEndpoint of this server.
      const { client, channel } = endpoint as ClientEndpoint<M>;
      if (!client || !channel) return;
      // The client stays: handlers still running after the close read it as ctx.client.
      (endpoint as ClientEndpoint<M>).channel = undefined;
      onClosed(client, channel, code, reason);
    },
  };
}
