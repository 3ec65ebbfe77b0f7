import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { lookupVariable, type ConfigKeyMapping } from '../configKeys.js';
import { truncate } from '../errors.js';
import { defined, nonEmpty, resultOf, type ActionTranslator, type OutboundCall } from '../plan.js';

type GetResult = Res201<'GetVariables'>['getVariableResult'][number];
type SetResult = Res201<'SetVariables'>['setVariableResult'][number];

/**
 * GetVariables → one GetConfiguration for every mapped key (table `configKeys`). Unmapped entries are answered
 * here (UnknownComponent / UnknownVariable); attribute types other than Actual have no 1.6 counterpart.
 */
export const getVariables: ActionTranslator<Req201<'GetVariables'>> = async (p, env) => {
  const rows = p.getVariableData.map((entry) => {
    if (entry.attributeType !== undefined && entry.attributeType !== 'Actual') return { entry, status: 'NotSupportedAttributeType' as const };
    const found = lookupVariable(env.configKeys, entry.component, entry.variable);
    // B06: a WriteOnly variable is answered Rejected; the secret is never read from the charger.
    if (found.found && found.mapping.writeOnly) return { entry, status: 'Rejected' as const };
    return found.found ? { entry, mapping: found.mapping } : { entry, status: found.status };
  });
  const keys = [...new Set(rows.flatMap((row) => (row.mapping ? [row.mapping.key] : [])))];
  const calls: OutboundCall[] = keys.length > 0 ? [{ action: 'GetConfiguration', params: { key: keys } }] : [];
  return {
    calls,
    respond: (outcomes): Res201<'GetVariables'> => {
      const conf = calls.length > 0 ? resultOf<Res16<'GetConfiguration'>>(outcomes[0]) : {};
      const values = new Map((conf.configurationKey ?? []).map((k) => [k.key, k]));
      return {
        getVariableResult: nonEmpty(rows.map(({ entry, mapping, status }): GetResult => {
          const base = defined({ component: entry.component, variable: entry.variable, attributeType: entry.attributeType });
          if (!mapping) return { ...base, attributeStatus: status ?? 'UnknownVariable' };
          const found = values.get(mapping.key);
          if (!found) return { ...base, attributeStatus: 'UnknownVariable' };
          const value = found.value ?? '';
          return { ...base, attributeStatus: 'Accepted', attributeValue: mapping.toV201 ? mapping.toV201(value) : value };
        }), 'getVariableResult'),
      };
    },
  };
};

/**
 * SetVariables → one ChangeConfiguration per mapped entry, in order (one CALL in flight, OCPP-J §4.1.1).
 * A CALLERROR for one entry answers that entry Rejected; the others still go out.
 */
export const setVariables: ActionTranslator<Req201<'SetVariables'>> = async (p, env) => {
  const plan = p.setVariableData.map((entry): { entry: typeof entry; mapping?: ConfigKeyMapping; value?: string; local?: SetResult['attributeStatus'] } => {
    if (entry.attributeType !== undefined && entry.attributeType !== 'Actual') return { entry, local: 'NotSupportedAttributeType' };
    const found = lookupVariable(env.configKeys, entry.component, entry.variable);
    if (!found.found) return { entry, local: found.status };
    const value = found.mapping.toV16 ? found.mapping.toV16(entry.attributeValue) : entry.attributeValue;
    // 1.6 ChangeConfiguration.value is at most 500 characters (after conversion: hex doubles a password's length).
    if (value.length > 500) return { entry, local: 'Rejected' };
    return { entry, mapping: found.mapping, value };
  });
  const calls: OutboundCall[] = [];
  for (const row of plan) {
    if (row.mapping && row.value !== undefined) calls.push({ action: 'ChangeConfiguration', params: { key: row.mapping.key, value: row.value } });
  }
  return {
    calls,
    respond: (outcomes): Res201<'SetVariables'> => {
      let next = 0;
      return {
        setVariableResult: nonEmpty(plan.map(({ entry, mapping, local }): SetResult => {
          const base = defined({ component: entry.component, variable: entry.variable, attributeType: entry.attributeType });
          if (!mapping) return { ...base, attributeStatus: local ?? 'UnknownVariable' };
          const outcome = outcomes[next++];
          if (!outcome || !outcome.ok) {
            const code = outcome ? outcome.error.code : 'NoAnswer';
            return { ...base, attributeStatus: 'Rejected', attributeStatusInfo: { reasonCode: truncate(code, 20) } };
          }
          const status = (outcome.result as Res16<'ChangeConfiguration'>).status;
          if (status === 'NotSupported') {
            return { ...base, attributeStatus: env.policy.changeConfigurationNotSupported, attributeStatusInfo: { reasonCode: 'NotSupported' } };
          }
          return { ...base, attributeStatus: status };
        }), 'setVariableResult'),
      };
    },
  };
};
