import { SECRET_FIELDS } from '../logger.js';

export const REDACTED = '[redacted]';

/** Id tokens are identifiers printed on cards, not secrets; their field names merely contain "token". */
const ID_TOKEN_FIELDS = /^(groupI|i)dToken(Info)?$/i;

/** Fields that carry the value of a configuration key (1.6 KeyValue) or device-model variable (2.0.1). */
const VALUE_FIELDS = new Set(['value', 'attributeValue']);

/** The 1.6 key or 2.0.1 variable an object sets or reports, when it names one. */
function namedSetting(obj: Record<string, unknown>): string | undefined {
  if (typeof obj.key === 'string') return obj.key; // 1.6 ChangeConfiguration, GetConfiguration KeyValue
  const variable = obj.variable as { name?: unknown } | undefined;
  if (variable !== null && typeof variable === 'object' && typeof variable.name === 'string') return variable.name; // 2.0.1
  return undefined;
}

function isSecretField(key: string): boolean {
  return SECRET_FIELDS.test(key) && !ID_TOKEN_FIELDS.test(key);
}

/**
 * A copy of an OCPP payload fit for a log line: a field whose name says it is secret (`apnPassword`,
 * `password`, ...) and the value of a configuration key or variable whose name does (1.6
 * `AuthorizationKey`, 2.0.1 `SecurityCtrlr.BasicAuthPassword`, in ChangeConfiguration, GetConfiguration,
 * SetVariables, GetVariables, NotifyReport) become `[redacted]`. Depth is bounded (the schemas nest far
 * less); anything deeper is dropped.
 */
export function redactPayload(payload: unknown, depth = 0): unknown {
  if (depth > 16) return '[too deep]';
  if (Array.isArray(payload)) return payload.map((item) => redactPayload(item, depth + 1));
  if (payload === null || typeof payload !== 'object') return payload;
  const obj = payload as Record<string, unknown>;
  const setting = namedSetting(obj);
  const secretSetting = setting !== undefined && SECRET_FIELDS.test(setting);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (isSecretField(key) || (secretSetting && VALUE_FIELDS.has(key))) out[key] = REDACTED;
    else if (secretSetting && key === 'variableAttribute' && Array.isArray(value)) {
      // NotifyReport reportData: the values sit one level down.
      out[key] = (value as unknown[]).map((attr) => (attr !== null && typeof attr === 'object' && 'value' in attr ? { ...attr, value: REDACTED } : attr));
    } else out[key] = redactPayload(value, depth + 1);
  }
  return out;
}
