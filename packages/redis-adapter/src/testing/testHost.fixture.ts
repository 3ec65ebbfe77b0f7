import type { AdapterHost, PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from '@chargewire/server';

/**
 * A scripted `AdapterHost` for driving the adapter directly (the server's side of the extension point): it records
 * what it was asked to run and answers with `answer`.
 */
export class TestHost implements AdapterHost {
  readonly calls: RemoteCallRequest[] = [];
  readonly broadcasts: Array<{ protocol: string; action: string; params: unknown }> = [];
  readonly presence = new Map<string, PresenceRecord>();
  /** Connections the adapter asked this node to close, as `identity connectionId`. */
  readonly superseded: string[] = [];
  answer: (req: RemoteCallRequest) => Promise<RemoteCallOutcome> = async (req) => ({ ok: true, result: { node: this.nodeId, echo: req.params } });
  broadcastAnswer: () => Promise<{ delivered: number; failed: number }> = async () => ({ delivered: 0, failed: 0 });

  constructor(readonly nodeId: string) {}

  callLocal(req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    this.calls.push(req);
    return this.answer(req);
  }

  broadcastLocal(protocol: string, action: string, params: unknown): Promise<{ delivered: number; failed: number }> {
    this.broadcasts.push({ protocol, action, params });
    return this.broadcastAnswer();
  }

  localPresence(): PresenceRecord[] {
    return [...this.presence.values()];
  }

  closeSuperseded(identity: string, connectionId: string): void {
    this.superseded.push(`${identity} ${connectionId}`);
  }
}
