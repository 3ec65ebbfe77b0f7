import type { Req16, Req201, Res16, Res201 } from '../../wire/types.js';
import type { StopRecord, TransactionRecord } from '../../store/sessionStore.js';
import { TranslationError } from '../errors.js';
import { toIdTagInfo, toIdToken } from '../idTokens.js';
import { registerReading, toMeterValues201, type MeterValue201 } from '../meterValues.js';
import { evseOf } from '../numbering.js';
import { defined, local, nonEmpty, resultOf, single, type ActionPlan, type ActionTranslator, type TranslatorEnv } from '../plan.js';
import type { StoppedReason201 } from '../policy.js';
import { dueReset, scheduleReset } from '../scheduledReset.js';

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

/** 1.6 transaction ids are seeded from the clock: whole seconds since this instant. */
const TRANSACTION_ID_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * The lowest 1.6 transactionId the proxy may hand out now: seconds since 2024-01-01 UTC. The counter of a
 * store that forgot it (the in-memory store after a restart) then starts above every id handed out before,
 * as long as a charger started at most one transaction per second on average; the value stays within a
 * signed 32-bit integer (what 1.6 implementations store) until 2092.
 */
export function transactionIdFloor(now: Date): number {
  return Math.max(1, Math.floor((now.getTime() - TRANSACTION_ID_EPOCH_MS) / 1000));
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
      id16: await store.increment(identity, 'tx16', transactionIdFloor(env.now())),
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
    idToken: await toIdToken(p.idTag, env),
    evse,
    meterValue: [registerReading(p.timestamp, p.meterStart, 'Transaction.Begin')],
    reservationId: p.reservationId,
  });
  return {
    calls: [{ action: 'TransactionEvent', params }],
    respond: async (outcomes): Promise<Res16<'StartTransaction'>> => {
      const r = resultOf<Res201<'TransactionEvent'>>(outcomes[0]);
      // A refused token leaves the transaction running on the charger but not authorized (UnlockConnector, F05.FR.02).
      if (r.idTokenInfo && r.idTokenInfo.status !== 'Accepted') await store.saveTransaction(identity, { ...record, deauthorized: true });
      return { transactionId: record.id16, idTagInfo: (await idTagInfoFrom(r, env)) ?? { status: env.policy.missingIdTokenInfoStatus } };
    },
  };
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
  // 1.6 "Reboot": the charge point rebooted on its own (not a Reset.req, those are Hard/SoftReset).
  Reboot: 'AbnormalCondition',
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

/** Whether a 1.6 sampled value is the energy register reading at the end of the transaction. */
function isEndRegister(sample: MeterValue201['sampledValue'][number]): boolean {
  // 1.6 §7.31 and 2.0.1 SampledValueType: an absent measurand means Energy.Active.Import.Register.
  return sample.context === 'Transaction.End' && (sample.measurand ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register' && sample.phase === undefined;
}

/**
 * StopTransaction → TransactionEvent Ended. 1.6 chargers repeat a StopTransaction until it is answered
 * (§4.10): a repeat while the backend has not accepted the Ended event re-sends it with the same seqNo (what a
 * 2.0.1 station does), a repeat after that is answered from the session store without a second Ended.
 */
export const stopTransaction: ActionTranslator<Req16<'StopTransaction'>> = async (p, env) => {
  const { store, identity } = env;
  let record = await store.getTransactionBy16(identity, p.transactionId);
  if (!record) {
    // Started before this proxy kept state (or by another backend): the backend hears of it only now.
    env.note(`StopTransaction: transaction ${p.transactionId} unknown; reported under a new 2.0.1 transaction id`);
    record = defined({ id16: p.transactionId, id201: env.newTransactionId(), idTag: p.idTag, ended: false });
  }
  const previous = record.stop;
  if (previous?.confirmed) {
    const same = previous.timestamp === p.timestamp && previous.meterStop === p.meterStop;
    env.note(`StopTransaction: transaction ${p.transactionId} already ended${same ? ' (a retry)' : ''}; answered without a second Ended`);
    return local((): Res16<'StopTransaction'> => defined({ idTagInfo: previous.idTagInfo }));
  }
  // 1.6 §6.49: reason "MAY only be omitted when the Reason is Local".
  const reason = p.reason ?? 'Local';
  const stop: StopRecord = { timestamp: p.timestamp, meterStop: p.meterStop, seqNo: previous?.seqNo ?? (await nextSeqNo(env, record.id201)), confirmed: false };
  const ended: TransactionRecord = { ...record, ended: true, stop };
  await store.saveTransaction(identity, ended);
  const data = toMeterValues201(p.transactionData ?? [], env, 'StopTransaction');
  // The charger may already report the final register reading in transactionData: the backend gets it once.
  const hasEnd = data.some((mv) => mv.sampledValue.some(isEndRegister));
  const params: TransactionEventRequest = defined({
    eventType: 'Ended',
    timestamp: p.timestamp,
    triggerReason: STOP_TRIGGER[reason],
    seqNo: stop.seqNo,
    offline: offline(env, p.timestamp),
    transactionInfo: { transactionId: record.id201, stoppedReason: stoppedReason(reason, env) },
    evse: record.evseId === undefined ? undefined : evseOf(record.evseId),
    idToken: p.idTag === undefined ? undefined : await toIdToken(p.idTag, env),
    meterValue: nonEmpty(hasEnd ? data : [...data, registerReading(p.timestamp, p.meterStop, 'Transaction.End')], 'meterValue'),
  });
  const reset = await dueReset(env);
  const plan: ActionPlan = {
    calls: [{ action: 'TransactionEvent', params }],
    respond: async (outcomes): Promise<Res16<'StopTransaction'>> => {
      const r = resultOf<Res201<'TransactionEvent'>>(outcomes[0]);
      const idTagInfo = await idTagInfoFrom(r, env);
      await store.saveTransaction(identity, { ...ended, stop: defined({ ...stop, confirmed: true, idTagInfo }) });
      // A Reset OnIdle answered Scheduled goes to the charger now that its last transaction ended (B12.FR.01).
      if (reset.length > 0) await scheduleReset(env, false);
      return defined({ idTagInfo });
    },
    followUps: () => reset,
  };
  return plan;
};
