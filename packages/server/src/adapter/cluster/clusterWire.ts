import type { MessageSigner } from './messageSigner.js';
import { decodeMessage, encodeMessage, type WireMessage } from './wireMessages.js';

/**
 * The seam between the cluster protocol and its transport: every message is encoded and signed on its way
 * out (`encode`) and verified before it is parsed on its way in (`decode`).
 */
export class ClusterWire {
  constructor(readonly signer: MessageSigner) {}

  /** The payload to PUBLISH on `channel`. Throws TypeError when the message cannot be serialised to JSON. */
  encode(channel: string, msg: WireMessage): string {
    return this.signer.seal(channel, encodeMessage(msg));
  }

  /**
   * The message delivered on `channel`: `undefined` when it fails verification (it must be dropped unread);
   * throws MalformedMessageError for an authentic payload that is not a well-formed message.
   */
  decode(channel: string, payload: string): WireMessage | undefined {
    const text = this.signer.open(channel, payload);
    return text === undefined ? undefined : decodeMessage(text);
  }
}
