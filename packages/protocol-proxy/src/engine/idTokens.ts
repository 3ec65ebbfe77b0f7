import type { Req16, Res16, Req201, Res201 } from '../wire/types.js';
import { defined, type TranslatorEnv } from './plan.js';
import type { IdTagStatus16, IdTokenType } from './policy.js';

export type IdToken = Req201<'Authorize'>['idToken'];
export type IdTokenInfo = Res201<'Authorize'>['idTokenInfo'];
export type IdTagInfo = Res16<'Authorize'>['idTagInfo'];
type IdTokenStatus = IdTokenInfo['status'];

/** 1.6 idTags are at most 20 characters (CiString20Type): a longer 2.0.1 token can never come back from the charger. */
const MAX_ID_TAG = 20;

/**
 * Remembers the type of a token the backend named (RequestStartTransaction, ReserveNow, SendLocalList, a
 * groupIdToken in an answer). 1.6 idTags carry no type, and a CSMS looks tokens up by idToken *and* type, so
 * the same type must come back when the charger presents the tag.
 */
export async function rememberIdToken(token: { idToken: string; type: string } | undefined, env: TranslatorEnv): Promise<void> {
  if (!token || token.idToken.length > MAX_ID_TAG) return;
  await env.store.setIdTokenType(env.identity, token.idToken, token.type);
}

/** 1.6 idTag → 2.0.1 idToken: the type the backend last named for this token, else the idTokenType policy. */
export async function toIdToken(idTag: string, env: TranslatorEnv): Promise<IdToken> {
  const remembered = await env.store.getIdTokenType(env.identity, idTag);
  if (remembered !== undefined) return { idToken: idTag, type: remembered as IdTokenType };
  const { idTokenType } = env.policy;
  const type: IdTokenType = typeof idTokenType === 'function' ? idTokenType(idTag, env.identity) : idTokenType;
  return { idToken: idTag, type };
}

const STATUS_TO_16: Record<IdTokenStatus, IdTagStatus16> = {
  Accepted: 'Accepted',
  Blocked: 'Blocked',
  ConcurrentTx: 'ConcurrentTx',
  Expired: 'Expired',
  Invalid: 'Invalid',
  // 1.6 has no finer reasons for a refusal: the charger only needs to know it may not charge.
  NoCredit: 'Invalid',
  NotAllowedTypeEVSE: 'Invalid',
  NotAtThisLocation: 'Invalid',
  NotAtThisTime: 'Invalid',
  Unknown: 'Invalid',
};

/**
 * 2.0.1 idTokenInfo → 1.6 idTagInfo (status narrowed, cacheExpiryDateTime → expiryDate, groupIdToken →
 * parentIdTag). The groupIdToken's type is remembered: the charger may present the parent tag later.
 */
export async function toIdTagInfo(info: IdTokenInfo, env: TranslatorEnv): Promise<IdTagInfo> {
  const group = info.groupIdToken?.idToken;
  if (STATUS_TO_16[info.status] !== info.status) env.note(`idTokenInfo.status ${info.status} sent to the charger as Invalid`);
  let parentIdTag: string | undefined;
  if (group !== undefined) {
    if (group.length <= MAX_ID_TAG) {
      parentIdTag = group;
      await rememberIdToken(info.groupIdToken, env);
    } else env.note(`groupIdToken ${group} is longer than the 20 characters of a 1.6 parentIdTag; left out`);
  }
  return defined({ status: STATUS_TO_16[info.status], expiryDate: info.cacheExpiryDateTime, parentIdTag });
}

/** 1.6 idTagInfo → 2.0.1 idTokenInfo (parentIdTag → groupIdToken, typed like any other tag). */
export async function toIdTokenInfo(info: IdTagInfo, env: TranslatorEnv): Promise<IdTokenInfo> {
  return defined({
    status: info.status,
    cacheExpiryDateTime: info.expiryDate,
    groupIdToken: info.parentIdTag === undefined ? undefined : await toIdToken(info.parentIdTag, env),
  });
}

/** 1.6 idTag for a 2.0.1 idToken (the type is not representable in 1.6; it is remembered by the callers). */
export function idTagOf(token: IdToken): Req16<'Authorize'>['idTag'] {
  return token.idToken;
}
