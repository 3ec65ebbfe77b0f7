import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { dataToString } from '../charger/simple.js';
import { defined, single, type ActionTranslator } from '../plan.js';

/** DataTransfer toward the charger: non-string data is JSON-encoded (policy dataTransferEncoding); strings pass. */
export const dataTransfer: ActionTranslator<Req201<'DataTransfer'>> = async (p, env) =>
  single<Res16<'DataTransfer'>>(
    'DataTransfer',
    defined({ vendorId: p.vendorId, messageId: p.messageId, data: dataToString(p.data, env, 'DataTransfer') }),
    (r): Res201<'DataTransfer'> => // 2.0.1 data is any JSON; a 1.6 string is a valid value of it.
      defined({ status: r.status, data: r.data as never }),
  );
