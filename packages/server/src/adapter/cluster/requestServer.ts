import type { AdapterHost, RemoteCallOutcome, RemoteCallRequest } from '../adapter.js';
import { failure, toError } from './outcomes.js';
import { MalformedMessageError, type WireMessage } from './wireMessages.js';

/** Sends one message to one node; returns false when it could not be encoded (nothing was sent). */
export type SendToNode = (nodeId: string, msg: WireMessage, what: string) => boolean;

/**
 * This node's answers to other nodes: runs their calls and broadcasts on the local chargers (through the
 * server's host) and sends the reply or report to the asking node. Never throws: a host that fails or a
 * reply that cannot be sent is reported through `reportError`, and the asking node gets an outcome rather
 * than a timeout wherever one can still be sent.
 */
export class RequestServer {
  readonly #send: SendToNode;
  readonly #reportError: (error: Error) => void;
  constructor(
    send: SendToNode,
    reportError: (error: Error) => void,
  ) {
    this.#send = send;
    this.#reportError = reportError;
  }

  async serveCall(host: AdapterHost, id: string, from: string, req: RemoteCallRequest): Promise<void> {
    this.#publishReply(from, id, host.nodeId, await this.callLocal(host, req));
  }

  async serveBroadcast(host: AdapterHost, id: string, from: string, protocol: string, action: string, params: unknown): Promise<void> {
    const counts = await this.broadcastLocal(host, protocol, action, params);
    this.#send(from, { t: 'bcastReport', id, from: host.nodeId, ...counts }, 'the broadcast report');
  }

  /** Between close() and the end of UNSUBSCRIBE: answer at once rather than let the sender wait for a timeout. */
  answerWhileClosing(host: AdapterHost, msg: WireMessage): void {
    if (msg.t === 'call') {
      // notConnected: the caller's handle looks the charger up again (it may already have reconnected elsewhere).
      this.#publishReply(msg.from, msg.id, host.nodeId, failure('notConnected', `node "${host.nodeId}" is shutting down`));
    } else if (msg.t === 'bcast' && msg.from !== host.nodeId) {
      this.#send(msg.from, { t: 'bcastReport', id: msg.id, from: host.nodeId, delivered: 0, failed: 0 }, 'the broadcast report');
    }
  }

  /** Answers a call that could not be read, so its caller gets a clear error instead of waiting for its timeout. */
  answerUnreadable(error: Error, host: AdapterHost | undefined): void {
    if (error instanceof MalformedMessageError && error.type === 'call' && error.id && error.from && host) {
      this.#publishReply(error.from, error.id, host.nodeId, failure('internal', `node "${host.nodeId}" could not read the cross-node request`));
    }
  }

  /** Runs a call on this node's charger; a host that rejects becomes an `internal` outcome. */
  async callLocal(host: AdapterHost, req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    try {
      return await host.callLocal(req);
    } catch (err) {
      this.#reportError(new Error(`callLocal() rejected: ${toError(err).message}`));
      return failure('internal', 'the call failed on the owning node');
    }
  }

  async broadcastLocal(host: AdapterHost, protocol: string, action: string, params: unknown): Promise<{ delivered: number; failed: number }> {
    try {
      const { delivered, failed } = await host.broadcastLocal(protocol, action, params);
      return { delivered, failed };
    } catch (err) {
      this.#reportError(new Error(`broadcastLocal() rejected: ${toError(err).message}`));
      return { delivered: 0, failed: 0 };
    }
  }

  #publishReply(to: string, id: string, self: string, outcome: RemoteCallOutcome): void {
    if (!this.#send(to, { t: 'reply', id, from: self, outcome }, 'the call reply')) {
      this.#send(to, { t: 'reply', id, from: self, outcome: failure('internal', 'the charger result cannot be serialised to JSON') }, 'the call reply');
    }
  }
}
