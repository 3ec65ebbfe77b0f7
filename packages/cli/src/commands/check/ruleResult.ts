/** The outcome of one conformance rule. */
export type RuleStatus = 'pass' | 'fail' | 'n/a';

/** One line of the `check` report. */
export interface RuleResult {
  /** Stable rule id, e.g. `message-id.max-length`. */
  id: string;
  /** What the rule requires. */
  title: string;
  /** Where the spec says so. */
  section: string;
  /** The subprotocol the rule was checked with ('' for handshake rules that span versions). */
  protocol: string;
  status: RuleStatus;
  /** What was observed. */
  detail: string;
}

/** Sections of the specs (OCPP-J 1.6 and OCPP 2.0.1/2.1 Part 4 "JSON over WebSockets"). */
export const SECTIONS = {
  version: '1.6 §3.1.2 / 2.x Part 4 §3.1.2 (OCPP version)',
  identity: '2.x Part 4 §3.1.1 (connection URL)',
  messageId: '1.6 §4.1.3 / 2.x Part 4 §4.1.3 (message id)',
  messageType: '2.0.1 Part 4 §4.1.3 / 2.1 Part 4 §4.1.3 (message type)',
  callError: '1.6 §4.2.3 / 2.x Part 4 §4.2.3 (CALLERROR)',
  errorCodes: '1.6 §4.2.3 / 2.x Part 4 §4.3 (RPC framework error codes)',
  call: '1.6 §4.2.1 / 2.x Part 4 §4.2.1 (CALL)',
  callResult: '1.6 §4.2.2 / 2.x Part 4 §4.2.2 (CALLRESULT)',
  ping: '1.6 §5.3 / 2.x Part 4 §5.2 (WebSocket ping)',
  compression: '2.x Part 4 §5.3 (WebSocket compression)',
} as const;

/** Per-status counts. */
export function summarize(results: readonly RuleResult[]): Record<RuleStatus, number> {
  const counts: Record<RuleStatus, number> = { pass: 0, fail: 0, 'n/a': 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
