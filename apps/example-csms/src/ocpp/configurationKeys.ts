/** A 2.0.1 device-model address (component + variable, each with an optional instance). */
export interface VariableAddress {
  component: { name: string; instance?: string };
  variable: { name: string; instance?: string };
}

/**
 * The 1.6 standard configuration keys (1.6 §9.1) and the 2.0.1 device-model variables that carry the
 * same setting (2.0.1 Part 2, Appendix "Migration from 1.6 configuration keys"). The REST API speaks
 * the 1.6 names for both versions; 2.0.1 chargers also accept an explicit `Component.Variable` key.
 */
export const KEY_MAP: Readonly<Record<string, VariableAddress>> = {
  HeartbeatInterval: { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
  WebSocketPingInterval: { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'WebSocketPingInterval' } },
  ResetRetries: { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'ResetRetries' } },
  TransactionMessageAttempts: {
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'MessageAttempts', instance: 'TransactionEvent' },
  },
  TransactionMessageRetryInterval: {
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'MessageAttemptInterval', instance: 'TransactionEvent' },
  },
  MeterValueSampleInterval: { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } },
  MeterValuesSampledData: { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' } },
  StopTxnSampledData: { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxEndedMeasurands' } },
  StopTxnAlignedData: { component: { name: 'AlignedDataCtrlr' }, variable: { name: 'TxEndedMeasurands' } },
  ClockAlignedDataInterval: { component: { name: 'AlignedDataCtrlr' }, variable: { name: 'Interval' } },
  MeterValuesAlignedData: { component: { name: 'AlignedDataCtrlr' }, variable: { name: 'Measurands' } },
  ConnectionTimeOut: { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' } },
  StopTransactionOnEVSideDisconnect: { component: { name: 'TxCtrlr' }, variable: { name: 'StopTxOnEVSideDisconnect' } },
  StopTransactionOnInvalidId: { component: { name: 'TxCtrlr' }, variable: { name: 'StopTxOnInvalidId' } },
  AuthorizeRemoteTxRequests: { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
  LocalAuthorizeOffline: { component: { name: 'AuthCtrlr' }, variable: { name: 'LocalAuthorizeOffline' } },
  LocalPreAuthorize: { component: { name: 'AuthCtrlr' }, variable: { name: 'LocalPreAuthorize' } },
  AuthorizationCacheEnabled: { component: { name: 'AuthCacheCtrlr' }, variable: { name: 'Enabled' } },
  LocalAuthListEnabled: { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } },
};

/** `Component.Variable`, `Component[inst].Variable[inst]`: names are letters, digits and `_-`. */
const EXPLICIT = /^([A-Za-z0-9_-]{1,50})(?:\[([^\]]{1,50})\])?\.([A-Za-z0-9_-]{1,50})(?:\[([^\]]{1,50})\])?$/;

/** Maps a REST key to a 2.0.1 address; undefined when it is neither a known 1.6 key nor `Component.Variable`. */
export function toVariableAddress(key: string): VariableAddress | undefined {
  const known = KEY_MAP[key];
  if (known !== undefined) return known;
  const m = EXPLICIT.exec(key);
  if (m === null) return undefined;
  const [, component, componentInstance, variable, variableInstance] = m;
  return {
    component: componentInstance === undefined ? { name: component as string } : { name: component as string, instance: componentInstance },
    variable: variableInstance === undefined ? { name: variable as string } : { name: variable as string, instance: variableInstance },
  };
}

/** The REST key for an address: the 1.6 name when one maps to it, else `Component.Variable`. */
export function toKey(address: VariableAddress): string {
  for (const [key, known] of Object.entries(KEY_MAP)) {
    if (
      known.component.name === address.component.name &&
      known.component.instance === address.component.instance &&
      known.variable.name === address.variable.name &&
      known.variable.instance === address.variable.instance
    ) {
      return key;
    }
  }
  const part = (p: { name: string; instance?: string }): string => (p.instance === undefined ? p.name : `${p.name}[${p.instance}]`);
  return `${part(address.component)}.${part(address.variable)}`;
}
