import type { JsonSchema, ProtocolModel } from './schemaModel.js';
import { typeName } from './schemaModel.js';

/**
 * OCPP 1.6 schemas declare their object types inline. The generator gives them names so users can write
 * `MeterValue` or `ChargingProfile`: the 1.6 specification's class name where the property name differs
 * (§7 "Types"), otherwise the property name in PascalCase.
 */
const SPEC_NAMES: Readonly<Record<string, string>> = {
  configurationKey: 'KeyValue',
  localAuthorizationList: 'AuthorizationData',
  csChargingProfiles: 'ChargingProfile',
  chargingProfile: 'ChargingProfile',
  transactionData: 'MeterValue',
  meterValue: 'MeterValue',
};

export interface TypeSchemas {
  /** Message schemas with inline objects replaced by `$ref`s to named types. Keyed by emitted type name. */
  readonly messages: ReadonlyMap<string, JsonSchema>;
  /** Named types lifted out of the messages, in discovery order. */
  readonly hoisted: ReadonlyMap<string, JsonSchema>;
}

function isInlineObject(schema: JsonSchema): boolean {
  return schema.$ref === undefined && schema.properties !== undefined && Object.keys(schema.properties).length > 0;
}

function signature(schema: JsonSchema): string {
  return JSON.stringify(schema, (key, value: unknown) => (key === 'description' ? undefined : value));
}

/** Lifts inline object schemas into named types (shared when structurally identical). */
export function hoistInlineObjects(model: ProtocolModel): TypeSchemas {
  const hoisted = new Map<string, JsonSchema>();
  const signatures = new Map<string, string>();
  const taken = new Set<string>([...model.definitions.keys()]);
  for (const a of model.actions) {
    taken.add(typeName(a.action, 'request'));
    taken.add(typeName(a.action, 'response'));
  }

  const nameFor = (property: string, schema: JsonSchema, owner: string): string => {
    const base = SPEC_NAMES[property] ?? property.charAt(0).toUpperCase() + property.slice(1);
    const sig = signature(schema);
    for (const candidate of [base, `${owner}${base}`]) {
      if (signatures.get(candidate) === sig) return candidate;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        signatures.set(candidate, sig);
        hoisted.set(candidate, schema);
        return candidate;
      }
    }
    throw new Error(`cannot name inline object ${property} of ${owner}`);
  };

  const rewrite = (schema: JsonSchema, property: string | undefined, owner: string): JsonSchema => {
    if (schema.type === 'array' && schema.items && !Array.isArray(schema.items) && property !== undefined) {
      return { ...schema, items: rewrite(schema.items, property, owner) };
    }
    if (!isInlineObject(schema)) return schema;
    const properties = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, v]) => [k, rewrite(v, k, owner)]),
    );
    const rewritten = { ...schema, properties };
    if (property === undefined) return rewritten; // the message itself
    const { description, ...body } = rewritten;
    const name = nameFor(property, body, owner);
    return description === undefined ? { $ref: `#/definitions/${name}` } : { $ref: `#/definitions/${name}`, description };
  };

  const messages = new Map<string, JsonSchema>();
  for (const a of model.actions) {
    messages.set(typeName(a.action, 'request'), rewrite(a.request, undefined, a.action));
    if (a.response) messages.set(typeName(a.action, 'response'), rewrite(a.response, undefined, a.action));
  }
  return { messages, hoisted };
}
