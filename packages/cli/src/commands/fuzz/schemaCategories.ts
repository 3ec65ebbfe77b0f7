import fc from 'fast-check';
import { isKnownAction, isProtocolName } from '@chargewire/ocpp-types';
import { brokenExamplesFor, exampleFor } from '@chargewire/ocpp-types/examples';
import { messageId } from './arbitraries.js';
import type { FuzzCase } from './oracle.js';
import type { FuzzCategory } from './runFuzz.js';

/** Charger-to-CSMS actions every CSMS implements; each gets its own schema-boundary category. */
const CORE_ACTIONS = ['BootNotification', 'Heartbeat', 'StatusNotification', 'Authorize', 'MeterValues'];

/**
 * Schema-boundary payload categories, one per core action: the full and the minimal valid example (must
 * be accepted) and every payload that breaks exactly one schema rule (must get that rule's CALLERROR code,
 * DESIGN rule 7). `requires` names the action so the runner can skip actions the CSMS does not implement.
 */
export function schemaCategories(protocol: string): FuzzCategory[] {
  if (!isProtocolName(protocol)) return [];
  return CORE_ACTIONS.filter((action) => isKnownAction(protocol, action)).map((action) => {
    const valid: FuzzCase[] = [
      { kind: 'schema', id: '', action, payload: exampleFor(protocol, action, 'request'), violation: 'valid', mutation: 'minimal valid payload' },
      { kind: 'schema', id: '', action, payload: exampleFor(protocol, action, 'request', { optional: 'all' }), violation: 'valid', mutation: 'full valid payload' },
    ];
    const broken: FuzzCase[] = brokenExamplesFor(protocol, action, 'request').map((b) => ({
      kind: 'schema',
      id: '',
      action,
      payload: b.payload,
      violation: b.code,
      mutation: b.description,
    }));
    const cases = [...valid, ...broken];
    return {
      name: `schema-${action}`,
      summary: `${action} payloads at and beyond the schema's limits (${cases.length} variants)`,
      requires: { action, payload: valid[0]?.kind === 'schema' ? valid[0].payload : {} },
      arbitrary: fc.tuple(messageId(), fc.constantFrom(...cases)).map(([id, c]) => ({ ...c, id }) as FuzzCase),
    };
  });
}
