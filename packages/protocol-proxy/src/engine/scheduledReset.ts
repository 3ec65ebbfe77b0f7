import type { OutboundCall, TranslatorEnv } from './plan.js';

/** Session-store key of a Reset OnIdle answered Scheduled, waiting for the charger's last transaction to end. */
const PENDING_RESET = 'pendingReset';

/** Whether the charger has a transaction the proxy has not seen end. */
export async function transactionsRunning(env: TranslatorEnv): Promise<boolean> {
  return (await env.store.listTransactions(env.identity)).some((tx) => !tx.ended);
}

/** Remembers (or, with `false`, forgets) a Reset OnIdle to send once no transaction runs (2.0.1 B12.FR.01). */
export async function scheduleReset(env: TranslatorEnv, pending: boolean): Promise<void> {
  const current = await env.store.getValue(env.identity, PENDING_RESET);
  if (pending || (current !== undefined && current !== '')) await env.store.setValue(env.identity, PENDING_RESET, pending ? 'Soft' : '');
}

/** The 1.6 Reset to send now that a transaction ended, if one was scheduled and none runs any more. */
export async function dueReset(env: TranslatorEnv): Promise<OutboundCall[]> {
  if ((await env.store.getValue(env.identity, PENDING_RESET)) !== 'Soft') return [];
  if (await transactionsRunning(env)) return [];
  return [{ action: 'Reset', params: { type: 'Soft' } }];
}
