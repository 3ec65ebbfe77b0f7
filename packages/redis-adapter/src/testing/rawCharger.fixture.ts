import { WebSocket } from 'ws';

/** How a simulated charger answers one CALL: a result, a CALLERROR, or silence. */
export type ChargerAnswer = { result: unknown } | { error: { code: string; description: string; details?: Record<string, unknown> } } | 'silence';

/**
 * The default behaviour of the simulated 1.6 charger (valid 1.6 payloads, so the server's strict mode accepts them):
 * DataTransfer echoes its data with the charger identity, Reset and ClearCache are accepted, UnlockConnector answers a
 * CALLERROR and TriggerMessage is never answered (to exercise timeouts).
 */
export function defaultBehaviour(identity: string, action: string, payload: unknown): ChargerAnswer {
  switch (action) {
    case 'DataTransfer': {
      const data = (payload as { data?: string }).data ?? '';
      return { result: { status: 'Accepted', data: JSON.stringify({ identity, data }) } };
    }
    case 'Reset':
    case 'ClearCache':
      return { result: { status: 'Accepted' } };
    case 'UnlockConnector':
      return { error: { code: 'NotSupported', description: 'this charger has no lockable connector', details: { connectorId: (payload as { connectorId?: number }).connectorId ?? null } } };
    case 'TriggerMessage':
      return 'silence';
    default:
      return { error: { code: 'NotImplemented', description: `no handler for ${action}` } };
  }
}

/** A charger speaking raw OCPP-J 1.6 frames over `ws` (the client package is not needed for these tests). */
export class RawCharger {
  readonly calls: Array<{ action: string; payload: unknown }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #behaviour: (identity: string, action: string, payload: unknown) => ChargerAnswer;

  private constructor(
    readonly identity: string,
    readonly ws: WebSocket,
    behaviour: (identity: string, action: string, payload: unknown) => ChargerAnswer,
  ) {
    this.#behaviour = behaviour;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => this.#onFrame(data.toString()));
  }

  /** Connects to `<baseUrl>/<identity>` with the `ocpp1.6` subprotocol. */
  static connect(baseUrl: string, identity: string, behaviour = defaultBehaviour): Promise<RawCharger> {
    const ws = new WebSocket(`${baseUrl}/${encodeURIComponent(identity)}`, ['ocpp1.6']);
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        ws.on('error', () => undefined);
        if (ws.protocol !== 'ocpp1.6') reject(new Error(`server did not accept ocpp1.6 (got "${ws.protocol}")`));
        else resolve(new RawCharger(identity, ws, behaviour));
      });
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }

  /** Drops the TCP connection without a close handshake (like a charger losing power). */
  terminate(): void {
    this.ws.terminate();
  }

  #onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(frame) || frame[0] !== 2) return; // results of our own calls: this charger sends none
    const [, id, action, payload] = frame as [number, string, string, unknown];
    this.calls.push({ action, payload });
    const answer = this.#behaviour(this.identity, action, payload);
    if (answer === 'silence') return;
    if ('result' in answer) this.ws.send(JSON.stringify([3, id, answer.result]));
    else this.ws.send(JSON.stringify([4, id, answer.error.code, answer.error.description, answer.error.details ?? {}]));
  }
}
