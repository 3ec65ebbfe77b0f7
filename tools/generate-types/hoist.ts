import type { JsonSchema, ProtocolModel } from './schemaModel.js';
import { typeName } from './schemaModel.js';

/**
 * OCPP 1.6 schemas declare their object and enum types inline. The generator gives them the class and enum
 * names of the 1.6 specification (§7 "Types") so users can write `MeterValue`, `ChargingProfile` or
 * `ChargePointStatus`. Objects not listed here are named after their property in PascalCase; enums not
 * listed stay inline. 2.x schemas name everything in `definitions` already.
 */
const OBJECT_NAMES: Readonly<Record<string, string>> = {
  configurationKey: 'KeyValue',
  localAuthorizationList: 'AuthorizationData',
  csChargingProfiles: 'ChargingProfile',
  chargingProfile: 'ChargingProfile',
  transactionData: 'MeterValue',
  meterValue: 'MeterValue',
};

/** Enum property → 1.6 enum name (properties other than `status`). */
const ENUM_NAMES: Readonly<Record<string, string>> = {
  context: 'ReadingContext',
  format: 'ValueFormat',
  measurand: 'Measurand',
  phase: 'Phase',
  location: 'Location',
  unit: 'UnitOfMeasure',
  chargingProfilePurpose: 'ChargingProfilePurposeType',
  chargingProfileKind: 'ChargingProfileKindType',
  recurrencyKind: 'RecurrencyKindType',
  chargingRateUnit: 'ChargingRateUnitType',
  errorCode: 'ChargePointErrorCode',
  reason: 'Reason',
  requestedMessage: 'MessageTrigger',
  updateType: 'UpdateType',
};

/** Enum `type` and `status` properties, by the type that contains them. */
const ENUM_NAMES_BY_CONTAINER: Readonly<Record<string, string>> = {
  'ChangeAvailabilityRequest.type': 'AvailabilityType',
  'ResetRequest.type': 'ResetType',
  'IdTagInfo.status': 'AuthorizationStatus',
  'BootNotificationResponse.status': 'RegistrationStatus',
  'CancelReservationResponse.status': 'CancelReservationStatus',
  'ChangeAvailabilityResponse.status': 'AvailabilityStatus',
  'ChangeConfigurationResponse.status': 'ConfigurationStatus',
  'ClearCacheResponse.status': 'ClearCacheStatus',
  'ClearChargingProfileResponse.status': 'ClearChargingProfileStatus',
  'DataTransferResponse.status': 'DataTransferStatus',
  'DiagnosticsStatusNotificationRequest.status': 'DiagnosticsStatus',
  'FirmwareStatusNotificationRequest.status': 'FirmwareStatus',
  'GetCompositeScheduleResponse.status': 'GetCompositeScheduleStatus',
  'RemoteStartTransactionResponse.status': 'RemoteStartStopStatus',
  'RemoteStopTransactionResponse.status': 'RemoteStartStopStatus',
  'ReserveNowResponse.status': 'ReservationStatus',
  'ResetResponse.status': 'ResetStatus',
  'SendLocalListResponse.status': 'UpdateStatus',
  'SetChargingProfileResponse.status': 'ChargingProfileStatus',
  'StatusNotificationRequest.status': 'ChargePointStatus',
  'TriggerMessageResponse.status': 'TriggerMessageStatus',
  'UnlockConnectorResponse.status': 'UnlockStatus',
};

export interface TypeSchemas {
  /** Message schemas with inline objects and enums replaced by `$ref`s to named types, by type name. */
  readonly messages: ReadonlyMap<string, JsonSchema>;
  /** Named types lifted out of the messages. */
  readonly hoisted: ReadonlyMap<string, JsonSchema>;
}

function isInlineObject(schema: JsonSchema): boolean {
  return schema.$ref === undefined && schema.properties !== undefined && Object.keys(schema.properties).length > 0;
}

function signature(schema: JsonSchema): string {
  return JSON.stringify(schema, (key, value: unknown) => (key === 'description' ? undefined : value));
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Lifts inline object and enum schemas into named types (shared when structurally identical). */
export function hoistInlineObjects(model: ProtocolModel): TypeSchemas {
  const hoisted = new Map<string, JsonSchema>();
  const signatures = new Map<string, string>();
  const taken = new Set<string>([...model.definitions.keys()]);
  for (const a of model.actions) {
    taken.add(typeName(a.action, 'request'));
    taken.add(typeName(a.action, 'response'));
  }

  /** Registers `schema` under `base` (or `<container><base>` when `base` names a different structure). */
  const register = (base: string, schema: JsonSchema, container: string): string => {
    const sig = signature(schema);
    for (const candidate of [base, `${container}${base}`]) {
      if (signatures.get(candidate) === sig) return candidate;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        signatures.set(candidate, sig);
        hoisted.set(candidate, schema);
        return candidate;
      }
    }
    throw new Error(`cannot name inline type ${base} of ${container}`);
  };

  const asRef = (name: string, description: string | undefined): JsonSchema =>
    description === undefined ? { $ref: `#/definitions/${name}` } : { $ref: `#/definitions/${name}`, description };

  /** `container` is the name of the emitted type that holds `property`. */
  const rewrite = (schema: JsonSchema, property: string | undefined, container: string): JsonSchema => {
    if (schema.type === 'array' && schema.items && !Array.isArray(schema.items) && property !== undefined) {
      return { ...schema, items: rewrite(schema.items, property, container) };
    }
    if (property !== undefined && schema.$ref === undefined && Array.isArray(schema.enum)) {
      const name = ENUM_NAMES_BY_CONTAINER[`${container}.${property}`] ?? ENUM_NAMES[property];
      if (name === undefined) return schema;
      const { description, ...body } = schema;
      return asRef(register(name, body, container), description);
    }
    if (!isInlineObject(schema)) return schema;
    const name = property === undefined ? container : (OBJECT_NAMES[property] ?? pascal(property));
    const properties = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, v]) => [k, rewrite(v, k, name)]),
    );
    const rewritten = { ...schema, properties };
    if (property === undefined) return rewritten; // the message itself
    const { description, ...body } = rewritten;
    return asRef(register(name, body, container), description);
  };

  const messages = new Map<string, JsonSchema>();
  for (const a of model.actions) {
    const request = typeName(a.action, 'request');
    messages.set(request, rewrite(a.request, undefined, request));
    if (a.response) {
      const response = typeName(a.action, 'response');
      messages.set(response, rewrite(a.response, undefined, response));
    }
  }
  return { messages, hoisted };
}
