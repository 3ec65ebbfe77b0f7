import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { resultOf, type ActionPlan, type ActionTranslator, type OutboundCall } from '../plan.js';

type ReportData = NonNullable<Req201<'NotifyReport'>['reportData']>;

/**
 * GetBaseReport → GetConfiguration of every key, answered Accepted and followed by one NotifyReport with each
 * key that maps to a 2.0.1 component/variable (B07: the report arrives after the response). A 1.6 charger has
 * no summary inventory: SummaryInventory is answered NotSupported (a GetBaseReport status, not a CALLERROR).
 */
export const getBaseReport: ActionTranslator<Req201<'GetBaseReport'>> = async (p, env) => {
  if (p.reportBase === 'SummaryInventory') {
    return { calls: [], respond: (): Res201<'GetBaseReport'> => ({ status: 'NotSupported' }) };
  }
  let report: ReportData = [];
  const plan: ActionPlan = {
    calls: [{ action: 'GetConfiguration', params: {} }],
    respond: (outcomes): Res201<'GetBaseReport'> => {
      const conf = resultOf<Res16<'GetConfiguration'>>(outcomes[0]);
      const unmapped: string[] = [];
      report = (conf.configurationKey ?? []).flatMap((entry) => {
        const row = env.configKeys.find((r) => r.key === entry.key);
        if (!row) {
          unmapped.push(entry.key);
          return [];
        }
        // A write-only secret (BasicAuthPassword) is listed without its value, whatever the charger answered.
        const value = entry.value === undefined || row.writeOnly ? undefined : row.toV201 ? row.toV201(entry.value) : entry.value;
        const mutability = row.writeOnly ? ('WriteOnly' as const) : entry.readonly ? ('ReadOnly' as const) : ('ReadWrite' as const);
        return [
          {
            component: { ...row.component },
            variable: { ...row.variable },
            variableAttribute: [{ type: 'Actual' as const, ...(value !== undefined && { value }), mutability }],
          },
        ];
      });
      if (unmapped.length > 0) env.note(`GetBaseReport: 1.6 keys without a 2.0.1 variable left out: ${unmapped.join(', ')}`);
      return { status: report.length > 0 ? 'Accepted' : 'EmptyResultSet' };
    },
    followUps: (): OutboundCall[] =>
      report.length === 0
        ? []
        : [{ action: 'NotifyReport', params: { requestId: p.requestId, generatedAt: env.now().toISOString(), seqNo: 0, tbc: false, reportData: report } }],
  };
  return plan;
};
