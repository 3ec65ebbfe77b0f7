import type { TransactionRecord } from '../../store/sessionStore.js';
import type { Req201, Res201 } from '../../wire/types.js';
import { local, type ActionTranslator } from '../plan.js';

/** The charger's StopTransaction reached the proxy but the backend has not accepted its Ended event yet: the charger will repeat it. */
function endedAwaitingBackend(tx: TransactionRecord): boolean {
  return tx.ended && tx.stop !== undefined && !tx.stop.confirmed;
}

/**
 * GetTransactionStatus (E14) has no 1.6 counterpart: the proxy answers from the session store.
 * ongoingIndicator: the transaction has not ended (false for one the proxy does not know); messagesInQueue: a
 * transaction message the proxy knows is still to be delivered (an Ended the backend has not accepted). Without
 * transactionId, ongoingIndicator is left out (E14.FR.06) and messagesInQueue covers every transaction.
 */
export const getTransactionStatus: ActionTranslator<Req201<'GetTransactionStatus'>> = async (p, env) => {
  if (p.transactionId === undefined) {
    const all = await env.store.listTransactions(env.identity);
    return local((): Res201<'GetTransactionStatus'> => ({ messagesInQueue: all.some(endedAwaitingBackend) }));
  }
  const tx = await env.store.getTransactionBy201(env.identity, p.transactionId);
  return local((): Res201<'GetTransactionStatus'> => ({
    ongoingIndicator: tx !== undefined && !tx.ended,
    messagesInQueue: tx !== undefined && endedAwaitingBackend(tx),
  }));
};
