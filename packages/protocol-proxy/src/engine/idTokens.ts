import type { Req16, Res16, Req201, Res201 } from '../wire/types.js';
import { defined, type TranslatorEnv } from './plan.js';
import type { IdTagStatus16, IdTokenType } from './policy.js';

export type IdToken = Req201<'Authorize'>['idToken'];
export type IdTokenInfo = Res201<'Authorize'>['idTokenInfo'];
export type IdTagInfo = Res16<'Authorize'>['idTagInfo'];
type IdTokenStatus = IdTokenInfo['status'];

/** 1.6 idTag → 2.0.1 idToken; the type comes from the idTokenType policy. */
export function toIdToken(idTag: string, env: TranslatorEnv): IdToken {
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

/** 2.0.1 idTokenInfo → 1.6 idTagInfo (status narrowed, cacheExpiryDateTime → expiryDate, groupIdToken → parentIdTag). */
export function toIdTagInfo(info: IdTokenInfo, env: TranslatorEnv): IdTagInfo {
  const group = info.groupIdToken?.idToken;
  if (STATUS_TO_16[info.status] !== info.status) env.note(`idTokenInfo.status ${info.status} sent to the charger as Invalid`);
  let parentIdTag: string | undefined;
  if (group !== undefined) {
    if (group.length <= 20) parentIdTag = group;
    else env.note(`groupIdToken ${group} is longer than the 20 characters of a 1.6 parentIdTag; left out`);
  }
  return defined({ status: STATUS_TO_16[info.status], expiryDate: info.cacheExpiryDateTime, parentIdTag });
}

/** 1.6 idTagInfo → 2.0.1 idTokenInfo (for responses the charger gives, e.g. none today; and SendLocalList reverse). */
export function toIdTokenInfo(info: IdTagInfo, env: TranslatorEnv): IdTokenInfo {
  return defined({
    status: info.status,
    cacheExpiryDateTime: info.expiryDate,
    groupIdToken: info.parentIdTag === undefined ? undefined : toIdToken(info.parentIdTag, env),
  });
}

/** 1.6 idTag for a 2.0.1 idToken (the type is not representable in 1.6 and is dropped). */
export function idTagOf(token: IdToken): Req16<'Authorize'>['idTag'] {
  return token.idToken;
}
