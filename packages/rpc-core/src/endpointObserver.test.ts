import { describe, expect, it } from 'vitest';
import { createChannelPair, type ChannelSink, type RpcChannel } from './channel.js';
import type { RpcEndpointObserver } from './observer.js';
import { RpcEndpoint } from './rpcEndpoint.js';

const lax = { strictMode: false } as const;

describe('RpcEndpoint observer', () => {
  it('gets events from every endpoint sharing it, before their listeners, and without listeners of its own', async () => {
    const seen: string[] = [];
    const observer: RpcEndpointObserver<RpcEndpoint<'CSMS'>> = {
      callResult: (endpoint, e) => seen.push(`observer ${names.get(endpoint)} ${e.direction} ${e.action}`),
      badMessage: (endpoint, e) => seen.push(`observer ${names.get(endpoint)} bad ${e.error.code}`),
      close: (endpoint, e) => seen.push(`observer ${names.get(endpoint)} close ${e.code}`),
    };
    const names = new Map<RpcEndpoint<'CSMS'>, string>();
    const stations: RpcEndpoint<'ChargingStation'>[] = [];
    const channels: RpcChannel[] = [];
    for (const name of ['a', 'b']) {
      const [server, station] = createChannelPair();
      const csms = new RpcEndpoint<'CSMS'>({ side: 'CSMS', protocol: 'ocpp1.6', observer, ...lax });
      const peer = new RpcEndpoint<'ChargingStation'>({ side: 'ChargingStation', protocol: 'ocpp1.6', ...lax });
      names.set(csms, name);
      csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: name }));
      csms.attach(server);
      peer.attach(station);
      stations.push(peer);
      channels.push(station);
      if (name === 'b') csms.on('callResult', (e) => seen.push(`listener b ${e.direction} ${e.action}`));
    }
    expect(await stations[0]!.call('ocpp1.6', 'Heartbeat', {})).toEqual({ currentTime: 'a' });
    expect(await stations[1]!.call('ocpp1.6', 'Heartbeat', {})).toEqual({ currentTime: 'b' });
    channels[0]!.send('not json');
    await new Promise((r) => setTimeout(r, 20));
    stations[1]!.close(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['observer a in Heartbeat', 'observer b in Heartbeat', 'listener b in Heartbeat', 'observer a bad FormatViolation', 'observer b close 1000']);
  });

  it('counts as a listener only for the events it has', () => {
    const endpoint = new RpcEndpoint({ side: 'CSMS', observer: { callError: () => undefined } });
    expect(endpoint.listenerCount('callError')).toBe(1);
    expect(endpoint.listenerCount('callResult')).toBe(0);
    endpoint.on('callError', () => undefined);
    expect(endpoint.listenerCount('callError')).toBe(2);
  });
});

/** An in-memory channel that calls a sink instead of taking listeners (what the server's socket does). */
class SinkChannel implements RpcChannel {
  sink: ChannelSink | undefined;
  listenersAsked = 0;
  readonly #inner: RpcChannel;
  constructor(inner: RpcChannel) {
    this.#inner = inner;
    inner.onMessage((text) => this.sink?.channelMessage(this, text));
    inner.onClose((code, reason) => this.sink?.channelClose(this, code, reason));
  }
  setSink(sink: ChannelSink): void {
    this.sink = sink;
  }
  send(text: string): void {
    this.#inner.send(text);
  }
  close(code?: number, reason?: string): void {
    this.#inner.close(code, reason);
  }
  onMessage(): void {
    this.listenersAsked++;
  }
  onClose(): void {
    this.listenersAsked++;
  }
}

describe('RpcChannel.setSink', () => {
  it('is used instead of listeners, and frames of a channel that is no longer attached are ignored', async () => {
    const [a, b] = createChannelPair();
    const channel = new SinkChannel(a);
    const csms = new RpcEndpoint<'CSMS'>({ side: 'CSMS', protocol: 'ocpp1.6', ...lax });
    const station = new RpcEndpoint<'ChargingStation'>({ side: 'ChargingStation', protocol: 'ocpp1.6', ...lax });
    csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: 'now' }));
    csms.attach(channel);
    station.attach(b);
    expect(channel.listenersAsked).toBe(0);
    expect(await station.call('ocpp1.6', 'Heartbeat', {})).toEqual({ currentTime: 'now' });

    const closed = new Promise<{ code: number }>((resolve) => csms.once('close', resolve));
    station.close(4000, 'bye');
    expect((await closed).code).toBe(4000);
    expect(csms.attached).toBe(false);

    // A stale channel delivering late must not reach an endpoint that has moved on.
    const [c, d] = createChannelPair();
    csms.attach(c);
    const received: string[] = [];
    d.onMessage((t) => received.push(t));
    channel.sink!.channelMessage(channel, '[2,"x","Heartbeat",{}]');
    channel.sink!.channelClose(channel, 1006, '');
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([]);
    expect(csms.attached).toBe(true);
  });
});
