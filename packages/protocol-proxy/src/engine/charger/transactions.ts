import type { Req16, Req201, Res16, Res201 } from '../../wire/types.js';
import type { TransactionRecord } from '../../store/sessionStore.js';
import { TranslationError } from '../errors.js';
import { toIdTagInfo, toIdToken } from '../idTokens.js';
import { registerReading, toMeterValues201, type MeterValue201 } from '../meterValues.js';
import { evseOf } from '../numbering.js';
import { defined, local, nonEmpty, single, type ActionTranslator, type TranslatorEnv } from '../plan.js';
import type { StoppedReason201 } from '../policy.js';

type TransactionEventRequest = Req201<'TransactionEvent'>;
type TriggerReason = TransactionEventRequest['triggerReason'];
type StopReason16 = NonNullable<Req16<'StopTransaction'>['reason']>;

/** The next seqNo of a transaction: 0 for its first TransactionEvent (2.0.1 E01 / TransactionEventRequest.seqNo). */
export async function nextSeqNo(env: TranslatorEnv, id201: string): Promise<number> {
  return (await env.store.increment(env.identity, `seq:${id201}`)) - 1;
}

/** `true` when the event happened before the charger's current connection (OCPP 2.0.1 E04: offline transaction events). */
export function offline(env: TranslatorEnv, timestamp: string): true | undefined {
  const since = env.connectedSince?.getTime();
  const at = Date.parse(timestamp);
  return since !== undefined && Number.isFinite(at) && at < since - env.policy.offlineSkewMs ? true : undefined;
}

function idTagInfoFrom(r: Res201<'TransactionEvent'>, env: TranslatorEnv) {
  return r.idTokenInfo ? toIdTagInfo(r.idTokenInfo, env) : undefined;
}

export const startTransaction: ActionTranslator<Req16<'StartTransaction'>> = async (p, env) => {
  const evse = evseOf(p.connectorId);
  if (!evse) {
    throw new TranslationError('PropertyConstraintViolation', 'StartTransaction: connectorId must be greater than 0 (OCPP 1.6 §6.45)', {
      action: 'StartTransaction',
    });
  }
  const { store, identity } = env;
  const open = await store.getActiveTransaction(identity, evse.id);
  let record: TransactionRecord;
  let seqNo: number;
  if (open && open.startedAt === p.timestamp && open.idTag === p.idTag && open.meterStart === p.meterStart) {
    // The charger repeats a StartTransaction whose answer it did not get (1.6 §4.10): same transaction, same ids.
    record = open;
    seqNo = 0;
  } else {
    if (open) {
      env.note(`transaction ${open.id16} on connector ${evse.id} never stopped; replaced by a new transaction`);
      await store.saveTransaction(identity, { ...open, ended: true });
    }
    const remote = await store.takeRemoteStart(identity, evse.id, p.idTag, env.now().getTime());
    record = {
      id16: await store.increment(identity, 'tx16'),
      id201: env.newTransactionId(),
      evseId: evse.id,
      idTag: p.idTag,
      remoteStartId: remote?.remoteStartId,
      startedAt: p.timestamp,
      meterStart: p.meterStart,
      ended: false,
    };
    await store.saveTransaction(identity, defined(record));
    seqNo = await nextSeqNo(env, record.id201);
  }
  const params: TransactionEventRequest = defined({
    eventType: 'Started',
    timestamp: p.timestamp,
    triggerReason: record.remoteStartId !== undefined ? 'RemoteStart' : 'Authorized',
    seqNo,
    offline: offline(env, p.timestamp),
    transactionInfo: defined({ transactionId: record.id201, remoteStartId: record.remoteStartId }),
    idToken: toIdToken(p.idTag, env),
    evse,
    meterValue: [registerReading(p.timestamp, p.meterStart, 'Transaction.Begin')],
    reservationId: p.reservationId,
  });
  return single<Res201<'TransactionEvent'>>('TransactionEvent', params, (r): Res16<'StartTransaction'> => ({
    transactionId: record.id16,
    idTagInfo: idTagInfoFrom(r, env) ?? { status: env.policy.missingIdTokenInfoStatus },
  }));
};

/** MeterValueClock when every sample is clock-aligned, Trigger when triggered, else MeterValuePeriodic. */
function meterTrigger(values: readonly MeterValue201[]): TriggerReason {
  const contexts = values.flatMap((mv) => mv.sampledValue.map((s) => s.context ?? 'Sample.Periodic'));
  if (contexts.length > 0 && contexts.every((c) => c === 'Sample.Clock')) return 'MeterValueClock';
  if (contexts.length > 0 && contexts.every((c) => c === 'Trigger')) return 'Trigger';
  return 'MeterValuePeriodic';
}

export const meterValues: ActionTranslator<Req16<'MeterValues'>> = async (p, env) => {
  const converted = toMeterValues201(p.meterValue, env, 'MeterValues');
  if (converted.length === 0) {
    env.note('MeterValues: no sample left to forward; answered the charger without a call');
    return local(() => ({}));
  }
  const record = p.transactionId === undefined ? undefined : await env.store.getTransactionBy16(env.identity, p.transactionId);
  if (p.transactionId !== undefined && (!record || record.ended)) {
    env.note(`MeterValues: transaction ${p.transactionId} is ${record ? 'ended' : 'unknown'}; sent as MeterValues, not TransactionEvent`);
  }
  if (!record || record.ended) {
    return single('MeterValues', { evseId: p.connectorId, meterValue: nonEmpty(converted, 'meterValue') }, () => ({}));
  }
  const params: TransactionEventRequest = defined({
    eventType: 'Updated',
    timestamp: converted[0]?.timestamp ?? env.now().toISOString(),
    triggerReason: meterTrigger(converted),
    seqNo: await nextSeqNo(env, record.id201),
    offline: offline(env, converted[0]?.timestamp ?? ''),
    transactionInfo: { transactionId: record.id201 },
    evse: evseOf(p.connectorId),
    meterValue: nonEmpty(converted, 'meterValue'),
  });
  return single('TransactionEvent', params, () => ({}));
};

const STOP_TRIGGER: Record<StopReason16, TriggerReason> = {
  Remote: 'RemoteStop',
  Local: 'StopAuthorized',
  EVDisconnected: 'EVCommunicationLost',
  DeAuthorized: 'Deauthorized',
  UnlockCommand: 'UnlockCommand',
  HardReset: 'ResetCommand',
  SoftReset: 'ResetCommand',
  Reboot: 'ResetCommand',
  EmergencyStop: 'AbnormalCondition',
  Other: 'AbnormalCondition',
  PowerLoss: 'AbnormalCondition',
};

function stoppedReason(reason: StopReason16, env: TranslatorEnv): StoppedReason201 {
  switch (reason) {
    case 'HardReset':
    case 'SoftReset':
      return 'ImmediateReset';
    case 'UnlockCommand':
      return env.policy.unlockCommandStoppedReason;
    default:
      return reason;
  }
}

export const stopTransaction: ActionTranslator<Req16<'StopTransaction'>> = async (p, env) => {
  const { store, identity } = env;
  let record = await store.getTransactionBy16(identity, p.transactionId);
  if (!record) {
    // Started before this proxy kept state (or by another backend): the backend hears of it only now.
    env.note(`StopTransaction: transaction ${p.transactionId} unknown; reported under a new 2.0.1 transaction id`);
    record = defined({ id16: p.transactionId, id201: env.newTransactionId(), idTag: p.idTag, ended: false });
  }
  // 1.6 §6.49: reason "MAY only be omitted when the Reason is Local".
  const reason = p.reason ?? 'Local';
  const seqNo = await nextSeqNo(env, record.id201);
  await store.saveTransaction(identity, { ...record, ended: true });
  const params: TransactionEventRequest = defined({
    eventType: 'Ended',
    timestamp: p.timestamp,
    triggerReason: STOP_TRIGGER[reason],
    seqNo,
    offline: offline(env, p.timestamp),
    transactionInfo: { transactionId: record.id201, stoppedReason: stoppedReason(reason, env) },
    evse: record.evseId === undefined ? undefined : evseOf(record.evseId),
    idToken: p.idTag === undefined ? undefined : toIdToken(p.idTag, env),
    meterValue: nonEmpty(
      [...toMeterValues201(p.transactionData ?? [], env, 'StopTransaction'), registerReading(p.timestamp, p.meterStop, 'Transaction.End')],
      'meterValue',
    ),
  });
  return single<Res201<'TransactionEvent'>>('TransactionEvent', params, (r): Res16<'StopTransaction'> =>
    defined({ idTagInfo: idTagInfoFrom(r, env) }),
  );
};
