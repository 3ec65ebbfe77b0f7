import type { Redis } from 'ioredis';
import type { AdapterHost, RemoteCallOutcome, RemoteCallRequest } from '@chargewire/server';
import type { ClusterWire } from './clusterWire.js';
import type { KeyLayout } from './keys.js';
import { failure, toError } from './outcomes.js';
import { MalformedMessageError, type WireMessage } from './wireMessages.js';

/**
 * This node's answers to other nodes: runs their calls and broadcasts on the local chargers (through the
 * server's host) and publishes the reply or report on the asking node's channel. Never throws: a host that
 * fails or a reply that cannot be published is reported through `reportError`, and the asking node gets an
 * outcome rather than a timeout wherever one can still be sent.
 */
export class RequestServer {
  constructor(
    private readonly pub: Redis,
    private readonly keys: KeyLayout,
    private readonly wire: ClusterWire,
    private readonly reportError: (error: Error) => void,
  ) {}

  async serveCall(host: AdapterHost, id: string, from: string, req: RemoteCallRequest): Promise<void> {
    this.publishReply(from, id, host.nodeId, await this.callLocal(host, req));
  }

  async serveBroadcast(host: AdapterHost, id: string, from: string, protocol: string, action: string, params: unknown): Promise<void> {
    const counts = await this.broadcastLocal(host, protocol, action, params);
    const channel = this.keys.nodeChannel(from);
    const payload = this.wire.encode(channel, { t: 'bcastReport', id, from: host.nodeId, ...counts });
    this.pub.publish(channel, payload).catch((err: unknown) => {
      this.reportError(new Error(`could not publish the broadcast report for node "${from}": ${toError(err).message}`));
    });
  }

  /** Between close() and the end of UNSUBSCRIBE: answer at once rather than let the sender wait for a timeout. */
  answerWhileClosing(host: AdapterHost, msg: WireMessage): void {
    if (msg.t === 'call') {
      // notConnected: the caller's handle looks the charger up again (it may already have reconnected elsewhere).
      this.publishReply(msg.from, msg.id, host.nodeId, failure('notConnected', `node "${host.nodeId}" is shutting down`));
    } else if (msg.t === 'bcast' && msg.from !== host.nodeId) {
      const channel = this.keys.nodeChannel(msg.from);
      const payload = this.wire.encode(channel, { t: 'bcastReport', id: msg.id, from: host.nodeId, delivered: 0, failed: 0 });
      this.pub.publish(channel, payload).catch(() => undefined);
    }
  }

  /** Answers a call that could not be read, so its caller gets a clear error instead of waiting for its timeout. */
  answerUnreadable(error: Error, host: AdapterHost | undefined): void {
    if (error instanceof MalformedMessageError && error.type === 'call' && error.id && error.from && host) {
      this.publishReply(error.from, error.id, host.nodeId, failure('internal', `node "${host.nodeId}" could not read the cross-node request`));
    }
  }

  /** Runs a call on this node's charger; a host that rejects becomes an `internal` outcome. */
  async callLocal(host: AdapterHost, req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    try {
      return await host.callLocal(req);
    } catch (err) {
      this.reportError(new Error(`callLocal() rejected: ${toError(err).message}`));
      return failure('internal', 'the call failed on the owning node');
    }
  }

  async broadcastLocal(host: AdapterHost, protocol: string, action: string, params: unknown): Promise<{ delivered: number; failed: number }> {
    try {
      const { delivered, failed } = await host.broadcastLocal(protocol, action, params);
      return { delivered, failed };
    } catch (err) {
      this.reportError(new Error(`broadcastLocal() rejected: ${toError(err).message}`));
      return { delivered: 0, failed: 0 };
    }
  }

  private publishReply(to: string, id: string, self: string, outcome: RemoteCallOutcome): void {
    const channel = this.keys.nodeChannel(to);
    let payload: string;
    try {
      payload = this.wire.encode(channel, { t: 'reply', id, from: self, outcome });
    } catch {
      payload = this.wire.encode(channel, { t: 'reply', id, from: self, outcome: failure('internal', 'the charger result cannot be serialised to JSON') });
    }
    this.pub.publish(channel, payload).catch((err: unknown) => {
      this.reportError(new Error(`could not publish the reply for a call from node "${to}": ${toError(err).message}`));
    });
  }
}
