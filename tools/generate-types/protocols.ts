/**
 * The three OCPP-J protocols the generator knows: where their official schemas live (committed copies in
 * packages/ocpp-types/schemas) and how a schema `$id` names its action and payload kind.
 */
export type ProtocolName = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';
export type PayloadKind = 'request' | 'response';

export interface ProtocolDescriptor {
  /** WebSocket subprotocol name (OCPP-J §3.1 / 2.x Part 4 §3.1). */
  readonly name: ProtocolName;
  /** File name of the official schema bundle inside packages/ocpp-types/schemas. */
  readonly schemaFile: string;
  /** Base name of the generated TypeScript module (src/generated/<module>.ts). */
  readonly module: string;
  /** Name of the action-map type alias. */
  readonly mapType: string;
  /** Namespace under which the root entry re-exports this protocol's payload types. */
  readonly namespace: string;
  /** Decodes a schema `$id` into action and kind; `send` marks a SEND-only message (2.1 §4.2.6). */
  parseId(id: string): { action: string; kind: PayloadKind | 'send' } | undefined;
}

/** 1.6 and 2.0.1 schemas are named `urn:<Action>.req` / `urn:<Action>.conf`. */
function parseReqConf(id: string): { action: string; kind: PayloadKind } | undefined {
  const m = /^urn:([A-Za-z0-9]+)\.(req|conf)$/.exec(id);
  if (!m) return undefined;
  return { action: m[1]!, kind: m[2] === 'req' ? 'request' : 'response' };
}

/** 2.1 schemas are named `urn:<Action>Request` / `urn:<Action>Response`; a bare `urn:<Action>` is a SEND. */
function parseRequestResponse(id: string): { action: string; kind: PayloadKind | 'send' } | undefined {
  const m = /^urn:([A-Za-z0-9]+?)(Request|Response)?$/.exec(id);
  if (!m) return undefined;
  if (m[2] === undefined) return { action: m[1]!, kind: 'send' };
  return { action: m[1]!, kind: m[2] === 'Request' ? 'request' : 'response' };
}

export const PROTOCOL_DESCRIPTORS: readonly ProtocolDescriptor[] = [
  { name: 'ocpp1.6', schemaFile: 'ocpp1_6.json', module: 'ocpp16', mapType: 'Ocpp16Actions', namespace: 'Ocpp16', parseId: parseReqConf },
  { name: 'ocpp2.0.1', schemaFile: 'ocpp2_0_1.json', module: 'ocpp201', mapType: 'Ocpp201Actions', namespace: 'Ocpp201', parseId: parseReqConf },
  { name: 'ocpp2.1', schemaFile: 'ocpp2_1.json', module: 'ocpp21', mapType: 'Ocpp21Actions', namespace: 'Ocpp21', parseId: parseRequestResponse },
];
