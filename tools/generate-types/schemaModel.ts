import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOTH_WAYS, CHARGING_STATION_INITIATED } from './directions.js';
import type { PayloadKind, ProtocolDescriptor } from './protocols.js';

/** The subset of draft-07 the official OCPP schemas use (plus anything else, kept opaque). */
export interface JsonSchema {
  $id?: string;
  $schema?: string;
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  definitions?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

export type Side = 'ChargingStation' | 'CSMS';

export interface ActionModel {
  readonly action: string;
  readonly request: JsonSchema;
  /** Absent for a SEND-only message. */
  readonly response: JsonSchema | undefined;
  readonly origin: readonly Side[];
  readonly send: boolean;
}

export interface ProtocolModel {
  readonly descriptor: ProtocolDescriptor;
  /** Sorted by action name. */
  readonly actions: readonly ActionModel[];
  /** Shared definitions, once per protocol (they repeat in every message schema that uses them). */
  readonly definitions: ReadonlyMap<string, JsonSchema>;
}

/** Reads the committed schema bundle of one protocol. */
export function readSchemaBundle(schemaDir: string, descriptor: ProtocolDescriptor): JsonSchema[] {
  const parsed: unknown = JSON.parse(readFileSync(join(schemaDir, descriptor.schemaFile), 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${descriptor.schemaFile}: expected an array of schemas`);
  return parsed as JsonSchema[];
}

function stripDescription(schema: JsonSchema): string {
  const { description: _d, javaType: _j, ...rest } = schema;
  return JSON.stringify(rest);
}

/** Pairs request/response schemas into actions, attaches directions, and collects shared definitions. */
export function buildProtocolModel(descriptor: ProtocolDescriptor, bundle: readonly JsonSchema[]): ProtocolModel {
  const byAction = new Map<string, { request?: JsonSchema; response?: JsonSchema; send?: JsonSchema }>();
  for (const schema of bundle) {
    const id = schema.$id;
    const parsed = id === undefined ? undefined : descriptor.parseId(id);
    if (!parsed) throw new Error(`${descriptor.name}: unrecognised schema id ${String(id)}`);
    const entry = byAction.get(parsed.action) ?? {};
    if (entry[parsed.kind]) throw new Error(`${descriptor.name}: duplicate schema ${String(id)}`);
    entry[parsed.kind] = schema;
    byAction.set(parsed.action, entry);
  }

  const csInitiated = new Set(CHARGING_STATION_INITIATED[descriptor.name]);
  for (const name of [...csInitiated, ...BOTH_WAYS]) {
    if (!byAction.has(name)) throw new Error(`${descriptor.name}: direction table names unknown action ${name}`);
  }

  const actions: ActionModel[] = [];
  for (const action of [...byAction.keys()].sort()) {
    const entry = byAction.get(action)!;
    const origin: Side[] = BOTH_WAYS.includes(action)
      ? ['ChargingStation', 'CSMS']
      : csInitiated.has(action)
        ? ['ChargingStation']
        : ['CSMS'];
    if (entry.send) {
      if (entry.request || entry.response) throw new Error(`${descriptor.name}: ${action} is both SEND and CALL`);
      actions.push({ action, request: entry.send, response: undefined, origin, send: true });
      continue;
    }
    if (!entry.request || !entry.response) throw new Error(`${descriptor.name}: ${action} lacks a request or response schema`);
    actions.push({ action, request: entry.request, response: entry.response, origin, send: false });
  }

  // Shared definitions differ between messages only in their description text; keep the first one
  // (in action order) and fail loudly if a future schema release makes them differ in substance.
  const definitions = new Map<string, JsonSchema>();
  const messageNames = new Set(actions.flatMap((a) => [typeName(a.action, 'request'), typeName(a.action, 'response')]));
  for (const { request, response } of actions) {
    for (const schema of [request, response]) {
      for (const [name, def] of Object.entries(schema?.definitions ?? {})) {
        if (messageNames.has(name)) throw new Error(`${descriptor.name}: definition ${name} collides with a message type`);
        const seen = definitions.get(name);
        if (!seen) definitions.set(name, def);
        else if (stripDescription(seen) !== stripDescription(def)) {
          throw new Error(`${descriptor.name}: definition ${name} differs between messages`);
        }
      }
    }
  }
  return { descriptor, actions, definitions };
}

/** `BootNotification` + `request` → `BootNotificationRequest`. */
export function typeName(action: string, kind: PayloadKind): string {
  return `${action}${kind === 'request' ? 'Request' : 'Response'}`;
}
