import { isProtocolName, isSendOnly } from '@chargewire/ocpp-types';
import { exampleFor } from '@chargewire/ocpp-types/examples';

/** State the local CSMS keeps to give sensible answers (transaction ids). */
export interface DefaultResponderState {
  nextTransactionId: number;
}

/** Options of {@link defaultResponse}. */
export interface DefaultResponseOptions {
  /** Heartbeat interval sent in BootNotification responses, in seconds. @default 300 */
  heartbeatIntervalS?: number;
  now?: () => Date;
}

/**
 * A valid response for any charger-initiated action: accepting answers for the session flow
 * (BootNotification, Authorize, Start/StopTransaction, TransactionEvent) and, for every other action,
 * the minimal valid payload generated from the official response schema.
 * Returns undefined for SEND-only messages (never answered).
 */
export function defaultResponse(
  protocol: string,
  action: string,
  params: unknown,
  state: DefaultResponderState,
  options: DefaultResponseOptions = {},
): unknown {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const v16 = protocol === 'ocpp1.6';
  switch (action) {
    case 'BootNotification':
      return { status: 'Accepted', currentTime: now, interval: options.heartbeatIntervalS ?? 300 };
    case 'Heartbeat':
      return { currentTime: now };
    case 'Authorize':
      return v16 ? { idTagInfo: { status: 'Accepted' } } : { idTokenInfo: { status: 'Accepted' } };
    case 'StartTransaction':
      return { transactionId: state.nextTransactionId++, idTagInfo: { status: 'Accepted' } };
    case 'StopTransaction':
      return { idTagInfo: { status: 'Accepted' } };
    case 'TransactionEvent': {
      const hasToken = typeof params === 'object' && params !== null && 'idToken' in params;
      return hasToken ? { idTokenInfo: { status: 'Accepted' } } : {};
    }
  }
  if (!isProtocolName(protocol) || isSendOnly(protocol, action)) return undefined;
  return exampleFor(protocol, action, 'response');
}
