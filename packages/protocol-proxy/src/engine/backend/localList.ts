import type { Req16, Req201, Res16, Res201 } from '../../wire/types.js';
import { idTagOf, rememberIdToken, toIdTagInfo } from '../idTokens.js';
import { defined, single, type ActionTranslator } from '../plan.js';

export const getLocalListVersion: ActionTranslator<Req201<'GetLocalListVersion'>> = async () =>
  single<Res16<'GetLocalListVersion'>>('GetLocalListVersion', {}, (r): Res201<'GetLocalListVersion'> => ({ versionNumber: r.listVersion }));

/** SendLocalList: versionNumber → listVersion, idToken → idTag, idTokenInfo → idTagInfo; 1.6 NotSupported → Failed. */
export const sendLocalList: ActionTranslator<Req201<'SendLocalList'>> = async (p, env) => {
  const list: NonNullable<Req16<'SendLocalList'>['localAuthorizationList']> = [];
  for (const entry of p.localAuthorizationList ?? []) {
    // The charger authorizes these tags locally and reports them in StartTransaction: keep their types.
    await rememberIdToken(entry.idToken, env);
    list.push(defined({ idTag: idTagOf(entry.idToken), idTagInfo: entry.idTokenInfo ? await toIdTagInfo(entry.idTokenInfo, env) : undefined }));
  }
  const params: Req16<'SendLocalList'> = defined({
    listVersion: p.versionNumber,
    updateType: p.updateType,
    localAuthorizationList: p.localAuthorizationList ? list : undefined,
  });
  return single<Res16<'SendLocalList'>>('SendLocalList', params, (r): Res201<'SendLocalList'> =>
    r.status === 'NotSupported' ? { status: 'Failed', statusInfo: { reasonCode: 'NotSupported' } } : { status: r.status },
  );
};
