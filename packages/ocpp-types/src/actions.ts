import type { ActionInfo, Side } from './actionInfo.js';
import { ACTION_TABLE } from './generated/actionTable.js';
import type { ProtocolName } from './protocols.js';
import { isProtocolName } from './protocols.js';

/**
 * Looks up an action. Safe for names read off the wire: only own entries of the generated table match,
 * so `__proto__`, `constructor` or `../x` are simply unknown.
 */
export function lookupAction(protocol: string, action: string): ActionInfo | undefined {
  if (!isProtocolName(protocol)) return undefined;
  const table = ACTION_TABLE[protocol];
  return Object.hasOwn(table, action) ? table[action] : undefined;
}

/** Whether `action` exists in `protocol` (false for unknown protocols). */
export function isKnownAction(protocol: string, action: string): boolean {
  return lookupAction(protocol, action) !== undefined;
}

const actionLists = new Map<ProtocolName, readonly string[]>();

/** Every action name of `protocol`, sorted. */
export function listActions(protocol: ProtocolName): readonly string[] {
  let list = actionLists.get(protocol);
  if (!list) {
    if (!isProtocolName(protocol)) throw new TypeError(`Unknown OCPP protocol: ${String(protocol)}`);
    list = Object.freeze(Object.keys(ACTION_TABLE[protocol]).sort());
    actionLists.set(protocol, list);
  }
  return list;
}

/** The sides that may send the request of `action`, or undefined when unknown. */
export function actionOrigin(protocol: string, action: string): readonly Side[] | undefined {
  return lookupAction(protocol, action)?.origin;
}

/** Whether `action` is a SEND-only message (OCPP 2.1 message type 6, never answered). */
export function isSendOnly(protocol: string, action: string): boolean {
  return lookupAction(protocol, action)?.send === true;
}
