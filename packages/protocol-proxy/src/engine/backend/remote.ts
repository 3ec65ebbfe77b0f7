import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { toChargingProfile16 } from '../chargingProfiles.js';
import { notSupported } from '../errors.js';
import { idTagOf, rememberIdToken } from '../idTokens.js';
import { defined, local, resultOf, single, type ActionTranslator } from '../plan.js';

/**
 * RequestStartTransaction → RemoteStartTransaction. The remoteStartId is remembered before the call goes out
 * (the charger may send StartTransaction before its answer arrives) and forgotten if the charger refuses.
 */
export const requestStartTransaction: ActionTranslator<Req201<'RequestStartTransaction'>> = async (p, env) => {
  const idTag = idTagOf(p.idToken);
  if (p.chargingProfile && p.chargingProfile.chargingProfilePurpose !== 'TxProfile') {
    throw notSupported('RequestStartTransaction', 'a 1.6 RemoteStartTransaction only takes a TxProfile');
  }
  if (p.groupIdToken) env.note('RequestStartTransaction groupIdToken has no 1.6 field; left out');
  const chargingProfile = p.chargingProfile ? await toChargingProfile16('RequestStartTransaction', p.chargingProfile, env) : undefined;
  // Before the call goes out: the charger's StartTransaction (and Authorize) must carry this type.
  await rememberIdToken(p.idToken, env);
  await rememberIdToken(p.groupIdToken, env);
  await env.store.addRemoteStart(env.identity, defined({
    remoteStartId: p.remoteStartId,
    idTag,
    evseId: p.evseId,
    expiresAt: env.now().getTime() + env.policy.remoteStartTimeoutMs,
  }));
  return {
    calls: [{ action: 'RemoteStartTransaction', params: defined({ idTag, connectorId: p.evseId, chargingProfile }) }],
    respond: async (outcomes) => {
      const outcome = outcomes[0];
      if (!outcome?.ok || (outcome.result as Res16<'RemoteStartTransaction'>).status !== 'Accepted') {
        await env.store.removeRemoteStart(env.identity, p.remoteStartId);
      }
      const r = resultOf<Res16<'RemoteStartTransaction'>>(outcome);
      return { status: r.status } satisfies Res201<'RequestStartTransaction'>;
    },
  };
};

/** RequestStopTransaction → RemoteStopTransaction with the mapped 1.6 integer; an unknown id is Rejected here. */
export const requestStopTransaction: ActionTranslator<Req201<'RequestStopTransaction'>> = async (p, env) => {
  const tx = await env.store.getTransactionBy201(env.identity, p.transactionId);
  if (!tx || tx.ended) {
    return local((): Res201<'RequestStopTransaction'> => ({
      status: 'Rejected',
      statusInfo: { reasonCode: tx ? 'TxEnded' : 'UnknownTransaction' },
    }));
  }
  return single<Res16<'RemoteStopTransaction'>>('RemoteStopTransaction', { transactionId: tx.id16 }, (r): Res201<'RequestStopTransaction'> => ({
    status: r.status,
  }));
};
