import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { idTagOf, rememberIdToken } from '../idTokens.js';
import { defined, single, type ActionTranslator } from '../plan.js';

/** ReserveNow: id → reservationId, evseId (absent: any) → connectorId (0 = any), groupIdToken → parentIdTag. */
export const reserveNow: ActionTranslator<Req201<'ReserveNow'>> = async (p, env) => {
  if (p.connectorType !== undefined) env.note(`ReserveNow connectorType ${p.connectorType} has no 1.6 field; left out`);
  await rememberIdToken(p.idToken, env);
  await rememberIdToken(p.groupIdToken, env);
  return single<Res16<'ReserveNow'>>(
    'ReserveNow',
    defined({
      connectorId: p.evseId ?? 0,
      expiryDate: p.expiryDateTime,
      idTag: idTagOf(p.idToken),
      parentIdTag: p.groupIdToken ? idTagOf(p.groupIdToken) : undefined,
      reservationId: p.id,
    }),
    (r): Res201<'ReserveNow'> => ({ status: r.status }),
  );
};

export const cancelReservation: ActionTranslator<Req201<'CancelReservation'>> = async (p) =>
  single<Res16<'CancelReservation'>>('CancelReservation', { reservationId: p.reservationId }, (r): Res201<'CancelReservation'> => ({
    status: r.status,
  }));
