import { createChannelPair, type RpcChannel } from '../channel.js';
import type { Side } from '../ocppTypes.js';
import type { RpcEndpointOptions } from '../options.js';
import { RpcEndpoint } from '../rpcEndpoint.js';
import type { RpcEndpointEvents } from '../events.js';

/** Two endpoints (CSMS and charger) over an in-memory pair. */
export function endpointPair(
  protocol: string,
  csmsOptions: Partial<Omit<RpcEndpointOptions, 'side'>> = {},
  stationOptions: Partial<Omit<RpcEndpointOptions, 'side'>> = {},
): { csms: RpcEndpoint<'CSMS'>; station: RpcEndpoint<'ChargingStation'>; channels: [RpcChannel, RpcChannel] } {
  const channels = createChannelPair();
  const csms = new RpcEndpoint<'CSMS'>({ side: 'CSMS', protocol, ...csmsOptions });
  const station = new RpcEndpoint<'ChargingStation'>({ side: 'ChargingStation', protocol, ...stationOptions });
  csms.attach(channels[0]);
  station.attach(channels[1]);
  return { csms, station, channels };
}

/** A hand-driven peer: send raw text, await the frames the endpoint writes. */
export class RawPeer {
  readonly received: string[] = [];
  #waiters: Array<(text: string) => void> = [];
  #read = 0;
  closed: { code: number; reason: string } | undefined;

  constructor(readonly channel: RpcChannel) {
    channel.onMessage((text) => {
      this.received.push(text);
      const waiter = this.#waiters.shift();
      if (waiter) {
        this.#read++;
        waiter(text);
      }
    });
    channel.onClose((code, reason) => {
      this.closed = { code, reason };
    });
  }

  send(text: string): void {
    this.channel.send(text);
  }

  /** The next frame not yet consumed, parsed as JSON. */
  next(): Promise<unknown> {
    if (this.#read < this.received.length) return Promise.resolve(JSON.parse(this.received[this.#read++] as string));
    return new Promise((resolve) => this.#waiters.push((text) => resolve(JSON.parse(text))));
  }

  /** Lets queued deliveries happen (both directions, a few rounds). */
  async settle(rounds = 4): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
  }

  get unread(): number {
    return this.received.length - this.#read;
  }
}

/** An endpoint attached to a RawPeer. */
export function endpointWithRawPeer<S extends Side>(
  protocol: string,
  side: S,
  options: Partial<Omit<RpcEndpointOptions, 'side'>> = {},
): { endpoint: RpcEndpoint<S>; peer: RawPeer } {
  const [a, b] = createChannelPair();
  const endpoint = new RpcEndpoint<S>({ side, protocol, ...options });
  endpoint.attach(a);
  return { endpoint, peer: new RawPeer(b) };
}

/** Resolves with the next emission of `event`. */
export function once<K extends keyof RpcEndpointEvents>(endpoint: RpcEndpoint<Side>, event: K): Promise<RpcEndpointEvents[K][0]> {
  return new Promise((resolve) => {
    (endpoint as unknown as { once(e: string, l: (v: unknown) => void): void }).once(event, (v) => resolve(v as RpcEndpointEvents[K][0]));
  });
}
