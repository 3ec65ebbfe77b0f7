import type { Req201 } from '../wire/types.js';

export type IdTokenType = Req201<'Authorize'>['idToken']['type'];
export type BootReason = Req201<'BootNotification'>['reason'];
export type StoppedReason201 = NonNullable<Req201<'TransactionEvent'>['transactionInfo']['stoppedReason']>;
export type IdTagStatus16 = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

/**
 * Choices the specifications leave open when translating 1.6 ⇄ 2.0.1. Every field has a documented default
 * (see README "Policies").
 */
export interface TranslationPolicy {
  /**
   * 2.0.1 idToken type for a 1.6 idTag (1.6 tags carry no type) that the backend has not named: a type the
   * backend gave the token (remote start, reservation, local list, groupIdToken) is used instead. A function
   * may decide per tag.
   * @default 'ISO14443'
   */
  idTokenType: IdTokenType | ((idTag: string, identity: string) => IdTokenType);
  /**
   * BootNotification reason (1.6 does not say why it booted).
   * @default 'PowerUp'
   */
  bootReason: BootReason;
  /**
   * 1.6 sampled values in kWh / kvarh / kW / kVA / kvar: `'keep'` sends unit kWh (multiplier 0, value unchanged);
   * `'multiplier'` sends the base unit (Wh, varh, W, VA, var) with multiplier 3 (value unchanged).
   * @default 'keep'
   */
  kiloUnits: 'keep' | 'multiplier';
  /**
   * stoppedReason for a 1.6 StopTransaction with reason UnlockCommand (2.0.1 has no such stoppedReason;
   * its triggerReason is UnlockCommand either way).
   * @default 'Remote'
   */
  unlockCommandStoppedReason: StoppedReason201;
  /**
   * DataTransfer data toward a 1.6 peer must be a string: `'json'` JSON-encodes non-string data, `'reject'`
   * answers non-string data (in a backend call or in the backend's answer) with a CALLERROR NotSupported.
   * Strings always pass unchanged both ways; 1.6 strings are never parsed.
   * @default 'json'
   */
  dataTransferEncoding: 'json' | 'reject';
  /**
   * Answer for a SetVariables entry whose ChangeConfiguration came back NotSupported.
   * @default 'UnknownVariable'
   */
  changeConfigurationNotSupported: 'UnknownVariable' | 'Rejected';
  /**
   * idTagInfo status returned to the charger for StartTransaction when the backend's TransactionEvent response
   * has no idTokenInfo (1.6 requires idTagInfo).
   * @default 'Accepted'
   */
  missingIdTokenInfoStatus: IdTagStatus16;
  /**
   * A 1.6 StatusNotification errorCode other than NoError: `'notifyEvent'` reports it as a 2.0.1 NotifyEvent
   * (component Connector or ChargingStation, variable Problem, techCode = errorCode); `'ignore'` drops it
   * (the status itself is still forwarded; the drop is listed in the translation's notes).
   * @default 'notifyEvent'
   */
  errorCodes: 'notifyEvent' | 'ignore';
  /**
   * 1.6 sampled values with no 2.0.1 measurand (Temperature, RPM) or with SignedData and no Raw sample
   * to carry the signature: `'drop'` leaves them out and lists them in the notes; `'reject'` answers the
   * charger with a CALLERROR NotSupported.
   * @default 'drop'
   */
  unmappableSamples: 'drop' | 'reject';
  /**
   * The charger implements the OCPP 1.6 security extension: GetLog, SignedUpdateFirmware and
   * ExtendedTriggerMessage are then used for the 2.0.1 calls that need them.
   * @default false
   */
  securityExtension: boolean;
  /**
   * How long a RequestStartTransaction waits for the matching 1.6 StartTransaction (ms).
   * @default 600000
   */
  remoteStartTimeoutMs: number;
  /**
   * A transaction message timestamped more than this before the charger's current connection opened is
   * reported with `offline: true` (it was queued while the charger was offline). Allows for clock skew;
   * `Infinity` never sets the flag.
   * @default 60000
   */
  offlineSkewMs: number;
}

export const DEFAULT_POLICY: Readonly<TranslationPolicy> = Object.freeze({
  idTokenType: 'ISO14443',
  bootReason: 'PowerUp',
  kiloUnits: 'keep',
  unlockCommandStoppedReason: 'Remote',
  dataTransferEncoding: 'json',
  changeConfigurationNotSupported: 'UnknownVariable',
  missingIdTokenInfoStatus: 'Accepted',
  errorCodes: 'notifyEvent',
  unmappableSamples: 'drop',
  securityExtension: false,
  remoteStartTimeoutMs: 600_000,
  offlineSkewMs: 60_000,
} satisfies TranslationPolicy);

export function resolvePolicy(policy: Partial<TranslationPolicy> | undefined): TranslationPolicy {
  return { ...DEFAULT_POLICY, ...(policy ?? {}) };
}
