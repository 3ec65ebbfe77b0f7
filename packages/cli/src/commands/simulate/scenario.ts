/**
 * The `simulate --script` scenario language: steps separated by `;` or new lines, `#` starts a comment.
 *
 *   boot                     BootNotification, then StatusNotification for every connector
 *   heartbeat                Heartbeat
 *   plug <c> / unplug <c>    connect / disconnect the vehicle on connector c
 *   tap <c> <tag>            present an RFID tag (Authorize; stops the transaction it started)
 *   start <c> [tag]          start a transaction (tag defaults to the last tapped one)
 *   stop <c> [reason]        stop it (Local, Remote, EVDisconnected, EmergencyStop, …)
 *   meter <c> [xN]           advance the simulated clock one sample interval and send MeterValues, N times
 *   fault <c> / clear <c>    fault the connector / clear the fault
 *   offline / online         lose the network (transaction messages are queued) / come back
 *   wait <ms>                pause (lets the CSMS send commands, e.g. RemoteStartTransaction)
 *   expect <c> <status>      fail unless connector c is in that status (Available, Preparing, Charging, …)
 *
 * A JSON file holding an array of such step strings is accepted too.
 */
export type Step =
  | { op: 'boot' | 'heartbeat' | 'offline' | 'online' }
  | { op: 'plug' | 'unplug' | 'fault' | 'clear'; connector: number }
  | { op: 'tap'; connector: number; tag: string }
  | { op: 'start'; connector: number; tag?: string }
  | { op: 'stop'; connector: number; reason?: string }
  | { op: 'meter'; connector: number; times: number }
  | { op: 'wait'; ms: number }
  | { op: 'expect'; connector: number; status: string };

/** A parsed step with its source text (for the log). */
export interface ScriptStep {
  text: string;
  step: Step;
}

/** A script error with the step number (1-based) and text. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

const STOP_REASONS = new Set(['Local', 'Remote', 'EVDisconnected', 'EmergencyStop', 'DeAuthorized', 'HardReset', 'SoftReset', 'UnlockCommand', 'Reboot']);
const STATUSES = new Set(['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted']);

/** Splits the script text (or a JSON array of step strings) into step texts. */
export function scriptTexts(source: string): string[] {
  const trimmed = source.trim();
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new ScriptError('script looks like JSON but does not parse');
    }
    if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw new ScriptError('a JSON script must be an array of step strings');
    return value.map((s: string) => s.trim()).filter(Boolean);
  }
  return source
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(';')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parses a whole scenario; throws ScriptError naming the first bad step. `connectors` bounds connector numbers. */
export function parseScript(source: string, connectors: number): ScriptStep[] {
  return scriptTexts(source).map((text, index) => {
    try {
      return { text, step: parseStep(text, connectors) };
    } catch (err) {
      throw new ScriptError(`step ${index + 1} '${text}': ${(err as Error).message}`);
    }
  });
}

function connectorArg(word: string | undefined, connectors: number): number {
  const n = Number(word);
  if (word === undefined || !Number.isInteger(n) || n < 1 || n > connectors) throw new Error(`connector must be 1-${connectors}`);
  return n;
}

/** Parses one step. */
export function parseStep(text: string, connectors: number): Step {
  const [op, ...args] = text.split(/\s+/);
  const arity = (min: number, max: number): void => {
    if (args.length < min || args.length > max) throw new Error(`expects ${min === max ? min : `${min}-${max}`} argument(s)`);
  };
  switch (op) {
    case 'boot':
    case 'heartbeat':
    case 'offline':
    case 'online':
      arity(0, 0);
      return { op };
    case 'plug':
    case 'unplug':
    case 'fault':
    case 'clear':
      arity(1, 1);
      return { op, connector: connectorArg(args[0], connectors) };
    case 'tap':
      arity(2, 2);
      return { op, connector: connectorArg(args[0], connectors), tag: args[1] as string };
    case 'start':
      arity(1, 2);
      return { op, connector: connectorArg(args[0], connectors), ...(args[1] ? { tag: args[1] } : {}) };
    case 'stop':
      arity(1, 2);
      if (args[1] && !STOP_REASONS.has(args[1])) throw new Error(`unknown stop reason '${args[1]}'`);
      return { op, connector: connectorArg(args[0], connectors), ...(args[1] ? { reason: args[1] } : {}) };
    case 'meter': {
      arity(1, 2);
      const times = args[1] === undefined ? 1 : Number(/^x(\d+)$/.exec(args[1])?.[1]);
      if (!Number.isInteger(times) || times < 1) throw new Error(`repeat count must look like x3`);
      return { op, connector: connectorArg(args[0], connectors), times };
    }
    case 'wait': {
      arity(1, 1);
      const ms = Number(args[0]);
      if (!Number.isFinite(ms) || ms < 0) throw new Error('wait needs milliseconds');
      return { op, ms };
    }
    case 'expect':
      arity(2, 2);
      if (!STATUSES.has(args[1] as string)) throw new Error(`unknown status '${args[1]}'`);
      return { op, connector: connectorArg(args[0], connectors), status: args[1] as string };
    default:
      throw new Error(`unknown step '${op}'`);
  }
}
