/**
 * Minimal duplex text channel the endpoint runs over; ws sockets, in-memory pairs and the proxy all
 * implement it.
 */
export interface RpcChannel {
  /**
   * Optional alternative to onMessage/onClose: the channel calls the sink (an endpoint) directly, so the
   * endpoint does not allocate two listener closures per connection. A channel that has it gets no
   * onMessage/onClose calls from the endpoint.
   */
  setSink?(sink: ChannelSink): void;
  /** Sends one text frame. After close, frames are dropped (like a closed socket). */
  send(text: string): void;
  /** Closes the channel; both ends' close listeners fire once. */
  close(code?: number, reason?: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: (code: number, reason: string) => void): void;
}

/** Receives a channel's traffic; every RpcEndpoint is one (see RpcChannel.setSink). */
export interface ChannelSink {
  /** One text frame arrived on `channel`. */
  channelMessage(channel: RpcChannel, text: string): void;
  /** `channel` closed (once). */
  channelClose(channel: RpcChannel, code: number, reason: string): void;
}

/** UTF-8 text of a Buffer, ArrayBuffer, typed array or array of Buffers (ws fragments); '' for anything else. */
export function decodeText(data: unknown): string {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) return Buffer.concat(data).toString('utf8');
  return '';
}

class MemoryChannel implements RpcChannel {
  peer!: MemoryChannel;
  readonly #messageListeners: Array<(text: string) => void> = [];
  readonly #closeListeners: Array<(code: number, reason: string) => void> = [];
  #inbox: string[] = [];
  #scheduled = false;
  #closing: { code: number; reason: string } | undefined;
  #closed = false;

  send(text: string): void {
    if (this.#closing || this.#closed) return;
    this.peer.#enqueue(text);
  }

  close(code = 1000, reason = ''): void {
    if (this.#closing || this.#closed) return;
    this.#closing = { code, reason };
    this.peer.#closing ??= { code, reason };
    this.#schedule();
    this.peer.#schedule();
  }

  onMessage(listener: (text: string) => void): void {
    this.#messageListeners.push(listener);
  }

  onClose(listener: (code: number, reason: string) => void): void {
    this.#closeListeners.push(listener);
  }

  #enqueue(text: string): void {
    if (this.#closed) return;
    this.#inbox.push(text);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // One macrotask per burst, like a socket's data event: frames queued together arrive together,
    // and a peer that answers forever cannot starve timers.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#inbox;
    this.#inbox = [];
    for (const text of batch) {
      if (this.#closed) return;
      for (const listener of this.#messageListeners) listener(text);
    }
    if (this.#inbox.length > 0) this.#schedule();
    else if (this.#closing && !this.#closed) {
      this.#closed = true;
      const { code, reason } = this.#closing;
      for (const listener of this.#closeListeners) listener(code, reason);
    }
  }
}

/**
 * Two connected in-memory channels. Delivery is asynchronous (a macrotask per burst), frames sent before a
 * close arrive before the close, and both ends see the same close code and reason.
 *
 * @example
 * const [a, b] = createChannelPair();
 * b.onMessage((text) => console.log(text));
 * a.send('[2,"1","Heartbeat",{}]');
 */
export function createChannelPair(): [RpcChannel, RpcChannel] {
  const a = new MemoryChannel();
  const b = new MemoryChannel();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
