import type { CommandOutcome, ProfileCommand, SendProfile } from './dispatchTypes.js';

/**
 * Sends one command and turns every way it can end into an outcome: accepted, another status
 * (`rejected`), no answer within `timeoutMs` (`timeout`, and `send` is aborted), or a thrown error. It
 * never rejects, so one charger's failure cannot disturb the commands sent to others.
 */
export async function sendWithTimeout(send: SendProfile, command: ProfileCommand, timeoutMs: number): Promise<CommandOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`no answer from ${command.chargerId} within ${timeoutMs} ms`));
      resolve('timeout');
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(() => send(command, controller.signal)), expired]);
    if (answer === 'timeout') return { command, ok: false, reason: 'timeout' };
    const status = typeof answer?.status === 'string' ? answer.status : String(answer?.status);
    return status === 'Accepted' ? { command, ok: true, status } : { command, ok: false, status, reason: 'rejected' };
  } catch (error) {
    return { command, ok: false, reason: controller.signal.aborted ? 'timeout' : 'error', error };
  } finally {
    clearTimeout(timer);
  }
}
