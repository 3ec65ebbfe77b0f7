import type { Req16, Req201, Res16, Res201 } from '../../wire/types.js';
import { notSupported } from '../errors.js';
import { connectorOf } from '../numbering.js';
import { local, single, type ActionTranslator } from '../plan.js';

const RESET_TYPE: Partial<Record<string, 'Hard' | 'Soft'>> = { Immediate: 'Hard', OnIdle: 'Soft' };

/** Reset Immediate → Hard, OnIdle → Soft; a per-EVSE reset has no 1.6 counterpart. */
export const reset: ActionTranslator<Req201<'Reset'>> = async (p) => {
  if (p.evseId !== undefined) throw notSupported('Reset', 'a 1.6 charger cannot reset a single EVSE', { evseId: p.evseId });
  const type = RESET_TYPE[p.type];
  if (!type) throw notSupported('Reset', `reset type ${String(p.type)} has no OCPP 1.6 counterpart`);
  return single<Res16<'Reset'>>('Reset', { type }, (r): Res201<'Reset'> => ({ status: r.status }));
};

export const changeAvailability: ActionTranslator<Req201<'ChangeAvailability'>> = async (p) =>
  single<Res16<'ChangeAvailability'>>(
    'ChangeAvailability',
    { connectorId: connectorOf('ChangeAvailability', p.evse), type: p.operationalStatus },
    (r): Res201<'ChangeAvailability'> => ({ status: r.status }),
  );

/** UnlockConnector {evseId, connectorId 1} → {connectorId: evseId}; 1.6 NotSupported → UnlockFailed. */
export const unlockConnector: ActionTranslator<Req201<'UnlockConnector'>> = async (p) => {
  if (p.connectorId !== 1 || p.evseId < 1) {
    return local((): Res201<'UnlockConnector'> => ({ status: 'UnknownConnector' }));
  }
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

export const triggerMessage: ActionTranslator<Req201<'TriggerMessage'>> = async (p, env) => {
  const connectorId = p.evse ? connectorOf('TriggerMessage', p.evse) : undefined;
  if (env.policy.securityExtension && (p.requestedMessage === 'SignChargingStationCertificate' || p.requestedMessage === 'LogStatusNotification')) {
    const requestedMessage = p.requestedMessage === 'SignChargingStationCertificate' ? 'SignChargePointCertificate' : 'LogStatusNotification';
    return single<Res16<'ExtendedTriggerMessage'>>(
      'ExtendedTriggerMessage',
      connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId },
      (r): Res201<'TriggerMessage'> => ({ status: r.status }),
    );
  }
  const requestedMessage = TRIGGER_16[p.requestedMessage];
  if (!requestedMessage) throw notSupported('TriggerMessage', `requestedMessage ${p.requestedMessage} has no OCPP 1.6 counterpart`);
  return single<Res16<'TriggerMessage'>>(
    'TriggerMessage',
    connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId },
    (r): Res201<'TriggerMessage'> => ({ status: r.status }),
  );
};

export const clearCache: ActionTranslator<Req201<'ClearCache'>> = async () =>
  single<Res16<'ClearCache'>>('ClearCache', {}, (r): Res201<'ClearCache'> => ({ status: r.status }));
