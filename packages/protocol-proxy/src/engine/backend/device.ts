import type { Req16, Req201, Res16, Res201 } from '../../wire/types.js';
import { TranslationError, truncate } from '../errors.js';
import { connectorOf } from '../numbering.js';
import { local, single, type ActionTranslator } from '../plan.js';
import { scheduleReset, transactionsRunning } from '../scheduledReset.js';

/** A status answer the spec defines, given by the proxy when the request cannot reach a 1.6 charger as asked. */
function refused<S extends string>(status: S, reasonCode: string, why: string) {
  return local(() => ({ status, statusInfo: { reasonCode, additionalInfo: truncate(why, 512) } }));
}

/** The connectorId for an evse reference, or undefined when a 1.6 charger has no such connector. */
function addressable(action: string, evse: { id: number; connectorId?: number } | undefined): number | undefined {
  try {
    return connectorOf(action, evse);
  } catch (err) {
    if (err instanceof TranslationError) return undefined;
    throw err;
  }
}

/**
 * Reset Immediate → Hard. OnIdle → Soft when no transaction runs; with one running, answered Scheduled and
 * sent when the last one ends (B12.FR.01: OnIdle waits for transactions to end; a 1.6 Soft reset would stop
 * them). A per-EVSE reset cannot be expressed in 1.6: Rejected (B12 defines the status), not a CALLERROR.
 */
export const reset: ActionTranslator<Req201<'Reset'>> = async (p, env) => {
  if (p.evseId !== undefined) return refused<Res201<'Reset'>['status']>('Rejected', 'UnsupportedRequest', 'a 1.6 charger cannot reset a single EVSE');
  if (p.type === 'Immediate') {
    // An immediate reset supersedes a scheduled one (the charger restarts either way).
    await scheduleReset(env, false);
    return single<Res16<'Reset'>>('Reset', { type: 'Hard' }, (r): Res201<'Reset'> => ({ status: r.status }));
  }
  if (p.type !== 'OnIdle') return refused<Res201<'Reset'>['status']>('Rejected', 'UnsupportedRequest', `reset type ${String(p.type)} has no OCPP 1.6 counterpart`);
  if (await transactionsRunning(env)) {
    await scheduleReset(env, true);
    env.note('Reset OnIdle: a transaction is running; the 1.6 Soft reset is sent when the last one ends');
    return local((): Res201<'Reset'> => ({ status: 'Scheduled' }));
  }
  return single<Res16<'Reset'>>('Reset', { type: 'Soft' }, (r): Res201<'Reset'> => ({ status: r.status }));
};

/** ChangeAvailability: evse.id (none: 0) → connectorId; a connector other than 1 does not exist on 1.6 hardware: Rejected. */
export const changeAvailability: ActionTranslator<Req201<'ChangeAvailability'>> = async (p) => {
  const connectorId = addressable('ChangeAvailability', p.evse);
  if (connectorId === undefined) {
    return refused<Res201<'ChangeAvailability'>['status']>('Rejected', 'UnknownConnector', 'a 1.6 charger has one connector per EVSE');
  }
  return single<Res16<'ChangeAvailability'>>('ChangeAvailability', { connectorId, type: p.operationalStatus }, (r): Res201<'ChangeAvailability'> => ({
    status: r.status,
  }));
};

/**
 * UnlockConnector {evseId, connectorId 1} → {connectorId: evseId}; 1.6 NotSupported → UnlockFailed. With an
 * authorized transaction on the EVSE the proxy answers OngoingAuthorizedTransaction and does not forward it
 * (F05.FR.02): a 1.6 charger would stop the transaction to unlock.
 */
export const unlockConnector: ActionTranslator<Req201<'UnlockConnector'>> = async (p, env) => {
  if (p.connectorId !== 1 || p.evseId < 1) {
    return local((): Res201<'UnlockConnector'> => ({ status: 'UnknownConnector' }));
  }
  const tx = await env.store.getActiveTransaction(env.identity, p.evseId);
  if (tx && !tx.deauthorized) return local((): Res201<'UnlockConnector'> => ({ status: 'OngoingAuthorizedTransaction' }));
  return single<Res16<'UnlockConnector'>>('UnlockConnector', { connectorId: p.evseId }, (r): Res201<'UnlockConnector'> =>
    r.status === 'NotSupported' ? { status: 'UnlockFailed', statusInfo: { reasonCode: 'NotSupported' } } : { status: r.status },
  );
};

type Requested201 = Req201<'TriggerMessage'>['requestedMessage'];
type Requested16 = Req16<'TriggerMessage'>['requestedMessage'];
const TRIGGER_16: Partial<Record<Requested201, Requested16>> = {
  BootNotification: 'BootNotification',
  FirmwareStatusNotification: 'FirmwareStatusNotification',
  Heartbeat: 'Heartbeat',
  MeterValues: 'MeterValues',
  StatusNotification: 'StatusNotification',
  LogStatusNotification: 'DiagnosticsStatusNotification',
  // A 1.6 charger reports transaction meter data with MeterValues, which the proxy turns into TransactionEvent.
  TransactionEvent: 'MeterValues',
};

/**
 * TriggerMessage → 1.6 TriggerMessage (ExtendedTriggerMessage with the security extension). A message the
 * charger cannot send is answered NotImplemented, a connector it does not have Rejected (F06 statuses).
 */
export const triggerMessage: ActionTranslator<Req201<'TriggerMessage'>> = async (p, env) => {
  const connectorId = p.evse ? addressable('TriggerMessage', p.evse) : undefined;
  if (p.evse && connectorId === undefined) {
    return refused<Res201<'TriggerMessage'>['status']>('Rejected', 'UnknownConnector', 'a 1.6 charger has one connector per EVSE');
  }
  if (env.policy.securityExtension && (p.requestedMessage === 'SignChargingStationCertificate' || p.requestedMessage === 'LogStatusNotification')) {
    const requestedMessage = p.requestedMessage === 'SignChargingStationCertificate' ? 'SignChargePointCertificate' : 'LogStatusNotification';
    return single<Res16<'ExtendedTriggerMessage'>>(
      'ExtendedTriggerMessage',
      connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId },
      (r): Res201<'TriggerMessage'> => ({ status: r.status }),
    );
  }
  const requestedMessage = TRIGGER_16[p.requestedMessage];
  if (!requestedMessage) {
    env.note(`TriggerMessage: a 1.6 charger cannot send ${p.requestedMessage}; answered NotImplemented`);
    return local((): Res201<'TriggerMessage'> => ({ status: 'NotImplemented' }));
  }
  return single<Res16<'TriggerMessage'>>(
    'TriggerMessage',
    connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId },
    (r): Res201<'TriggerMessage'> => ({ status: r.status }),
  );
};

export const clearCache: ActionTranslator<Req201<'ClearCache'>> = async () =>
  single<Res16<'ClearCache'>>('ClearCache', {}, (r): Res201<'ClearCache'> => ({ status: r.status }));
