import type { Req16, Req201 } from '../../wire/types.js';
import type { ChargingState } from '../../store/sessionStore.js';
import { truncate } from '../errors.js';
import { evseOf } from '../numbering.js';
import { defined, resultOf, type ActionPlan, type ActionTranslator, type OutboundCall, type TranslatorEnv } from '../plan.js';
import { nextSeqNo } from './transactions.js';

type Status16 = Req16<'StatusNotification'>['status'];
type ConnectorStatus = Req201<'StatusNotification'>['connectorStatus'];
type EventData = Req201<'NotifyEvent'>['eventData'][number];

const CONNECTOR_STATUS: Record<Status16, ConnectorStatus> = {
  Available: 'Available',
  Preparing: 'Occupied',
  Charging: 'Occupied',
  SuspendedEV: 'Occupied',
  SuspendedEVSE: 'Occupied',
  Finishing: 'Occupied',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
};

/** The 2.0.1 chargingState a 1.6 status implies while a transaction runs on the connector. */
const CHARGING_STATE: Partial<Record<Status16, ChargingState>> = {
  Preparing: 'EVConnected',
  Charging: 'Charging',
  SuspendedEV: 'SuspendedEV',
  SuspendedEVSE: 'SuspendedEVSE',
  Finishing: 'EVConnected',
};

function problemKey(connectorId: number): string {
  return `problem:${connectorId}`;
}

function componentOf(connectorId: number): EventData['component'] {
  const evse = evseOf(connectorId);
  return evse ? { name: 'Connector', evse } : { name: 'ChargingStation' };
}

async function event(env: TranslatorEnv, timestamp: string, fields: Pick<EventData, 'actualValue' | 'component' | 'variable'> & Partial<EventData>): Promise<EventData> {
  return defined({
    eventId: await env.store.increment(env.identity, 'eventId'),
    timestamp,
    trigger: 'Delta' as const,
    eventNotificationType: 'HardWiredNotification' as const,
    ...fields,
  });
}

/**
 * StatusNotification → 2.0.1 StatusNotification (connector n) or a NotifyEvent AvailabilityState (connector 0:
 * 2.0.1 reports station-wide availability as a variable, not with StatusNotification), plus a NotifyEvent
 * Problem for a 1.6 errorCode (policy errorCodes), plus a TransactionEvent ChargingStateChanged when the status
 * changes the running transaction's chargingState.
 */
export const statusNotification: ActionTranslator<Req16<'StatusNotification'>> = async (p, env) => {
  const { store, identity } = env;
  const timestamp = p.timestamp ?? env.now().toISOString();
  const connectorStatus = CONNECTOR_STATUS[p.status];
  const calls: OutboundCall[] = [];
  const events: EventData[] = [];
  const evse = evseOf(p.connectorId);
  if (evse) {
    calls.push({ action: 'StatusNotification', params: { timestamp, connectorStatus, evseId: evse.id, connectorId: evse.connectorId } });
  } else {
    events.push(await event(env, timestamp, { actualValue: connectorStatus, component: { name: 'ChargingStation' }, variable: { name: 'AvailabilityState' } }));
  }

  const hadProblem = (await store.getValue(identity, problemKey(p.connectorId))) === 'true';
  if (p.errorCode !== 'NoError' || hadProblem) {
    if (env.policy.errorCodes === 'ignore') {
      if (p.errorCode !== 'NoError') env.note(`StatusNotification errorCode ${p.errorCode} not reported (policy errorCodes: ignore)`);
    } else {
      const active = p.errorCode !== 'NoError';
      const info = [p.info && `info=${p.info}`, p.vendorId && `vendorId=${p.vendorId}`, p.vendorErrorCode && `vendorErrorCode=${p.vendorErrorCode}`]
        .filter(Boolean)
        .join('; ');
      events.push(
        await event(env, timestamp, {
          actualValue: active ? 'true' : 'false',
          component: componentOf(p.connectorId),
          variable: { name: 'Problem' },
          techCode: active ? p.errorCode : undefined,
          techInfo: info ? truncate(info, 500) : undefined,
          cleared: active ? undefined : true,
        }),
      );
      await store.setValue(identity, problemKey(p.connectorId), active ? 'true' : 'false');
    }
  }
  if (events.length > 0) {
    calls.push({ action: 'NotifyEvent', params: { generatedAt: env.now().toISOString(), seqNo: 0, tbc: false, eventData: events } });
  }

  const chargingState = CHARGING_STATE[p.status];
  const tx = evse && chargingState ? await store.getActiveTransaction(identity, evse.id) : undefined;
  if (tx && chargingState && tx.chargingState !== chargingState) {
    await store.saveTransaction(identity, { ...tx, chargingState });
    calls.push({
      action: 'TransactionEvent',
      params: {
        eventType: 'Updated',
        timestamp,
        triggerReason: 'ChargingStateChanged',
        seqNo: await nextSeqNo(env, tx.id201),
        transactionInfo: { transactionId: tx.id201, chargingState },
        evse,
      },
    });
  }
  const plan: ActionPlan = {
    calls,
    respond: (outcomes) => {
      // The status itself is the message the charger sent: its failure is the charger's CALLERROR.
      resultOf(outcomes[0]);
      outcomes.slice(1).forEach((o, i) => {
        if (!o.ok) env.note(`StatusNotification: ${calls[i + 1]?.action} failed upstream: ${o.error.code}`);
      });
      return {};
    },
  };
  return plan;
};
