import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { lookupAction } from './actions.js';
import type { PayloadKind, ProtocolName } from './protocols.js';
import { isProtocolName } from './protocols.js';

/** A JSON schema as published by the OCA (draft-07). */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

const FILES: Record<ProtocolName, string> = {
  'ocpp1.6': 'ocpp1_6.json',
  'ocpp2.0.1': 'ocpp2_0_1.json',
  'ocpp2.1': 'ocpp2_1.json',
};

const requireFromHere = createRequire(import.meta.url);
const bundles = new Map<ProtocolName, Map<string, JsonSchemaObject>>();

function bundle(protocol: ProtocolName): Map<string, JsonSchemaObject> {
  let byId = bundles.get(protocol);
  if (!byId) {
    // `<package>/schemas` is a sibling of src/ and dist/, like the validators.
    const url = new URL(`../schemas/${FILES[protocol]}`, import.meta.url);
    const list = requireFromHere(fileURLToPath(url)) as JsonSchemaObject[];
    byId = new Map(list.map((s) => [String(s['$id']), s]));
    bundles.set(protocol, byId);
  }
  return byId;
}

/** The official schema without copying (internal: callers must not mutate it). */
export function schemaFor(protocol: ProtocolName, action: string, kind: PayloadKind): JsonSchemaObject | undefined {
  if (!isProtocolName(protocol)) return undefined;
  const info = lookupAction(protocol, action);
  const id = info?.schemaIds[kind === 'request' ? 0 : 1];
  return id === undefined ? undefined : bundle(protocol).get(id);
}

/**
 * The unmodified official OCA schema of a payload (a fresh copy; the schema bundle of a protocol is read on
 * first use). undefined for unknown actions and for the response of a SEND-only message.
 */
export function getSchema(protocol: ProtocolName, action: string, kind: PayloadKind): object | undefined {
  const schema = schemaFor(protocol, action, kind);
  return schema === undefined ? undefined : structuredClone(schema);
}
