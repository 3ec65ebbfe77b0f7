/**
 * One row of the configuration-key table: a 1.6 configuration key ⇄ a 2.0.1 component/variable
 * (station-level: no evse). `toV16` / `toV201` convert values whose spelling differs.
 */
export interface ConfigKeyMapping {
  /** 1.6 key (OCPP 1.6 §9). */
  readonly key: string;
  readonly component: { readonly name: string; readonly instance?: string };
  readonly variable: { readonly name: string; readonly instance?: string };
  /** 2.0.1 attribute value → 1.6 value. @default identity */
  readonly toV16?: (value: string) => string;
  /** 1.6 value → 2.0.1 attribute value. @default identity */
  readonly toV201?: (value: string) => string;
  /**
   * The value is a secret that can be set but never read (2.0.1 mutability WriteOnly): GetVariables answers
   * Rejected without asking the charger, and reports list the variable without a value.
   * @default false
   */
  readonly writeOnly?: boolean;
}

/** ChargingScheduleAllowedChargingRateUnit ("Current,Power") ⇄ SmartChargingCtrlr.RateUnit ("A,W"). */
function rateUnits(from: Record<string, string>): (value: string) => string {
  return (value) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((v) => from[v] ?? v)
      .join(',');
}

/**
 * 2.0.1 SecurityCtrlr.BasicAuthPassword is the password string; the 1.6 security extension's AuthorizationKey
 * is the same password hex-encoded (its bytes as hexadecimal digits). A 1.6 value that is not hex passes as is.
 */
export function passwordToHex(value: string): string {
  return Buffer.from(value, 'utf8').toString('hex');
}
export function hexToPassword(value: string): string {
  return /^(?:[0-9a-fA-F]{2})*$/.test(value) ? Buffer.from(value, 'hex').toString('utf8') : value;
}

/**
 * The built-in table, checked against the 2.0.1 standardized components and variables (Part 2, Appendix 3).
 * Values pass unchanged: both versions write integers in decimal, booleans as true/false, measurand lists
 * comma-separated with the same measurand names. Left out on purpose (no faithful counterpart):
 * LocalAuthListMaxLength and MaxChargingProfilesInstalled (2.0.1 `Entries` reports the current count in its
 * Actual value; the maximum is a characteristic, not a readable/writable attribute), and every 1.6 key that
 * describes the protocol itself (SupportedFeatureProfiles, NumberOfConnectors, GetConfigurationMaxKeys, …).
 */
export const DEFAULT_CONFIG_KEYS: readonly ConfigKeyMapping[] = Object.freeze([
  { key: 'HeartbeatInterval', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
  { key: 'WebSocketPingInterval', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'WebSocketPingInterval' } },
  { key: 'ResetRetries', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'ResetRetries' } },
  {
    key: 'TransactionMessageAttempts',
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'MessageAttempts', instance: 'TransactionEvent' },
  },
  {
    key: 'TransactionMessageRetryInterval',
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'MessageAttemptInterval', instance: 'TransactionEvent' },
  },
  { key: 'UnlockConnectorOnEVSideDisconnect', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'UnlockOnEVSideDisconnect' } },
  { key: 'MeterValueSampleInterval', component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } },
  { key: 'MeterValuesSampledData', component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' } },
  { key: 'StopTxnSampledData', component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxEndedMeasurands' } },
  { key: 'ClockAlignedDataInterval', component: { name: 'AlignedDataCtrlr' }, variable: { name: 'Interval' } },
  { key: 'MeterValuesAlignedData', component: { name: 'AlignedDataCtrlr' }, variable: { name: 'Measurands' } },
  { key: 'StopTxnAlignedData', component: { name: 'AlignedDataCtrlr' }, variable: { name: 'TxEndedMeasurands' } },
  { key: 'ConnectionTimeOut', component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' } },
  { key: 'StopTransactionOnEVSideDisconnect', component: { name: 'TxCtrlr' }, variable: { name: 'StopTxOnEVSideDisconnect' } },
  { key: 'StopTransactionOnInvalidId', component: { name: 'TxCtrlr' }, variable: { name: 'StopTxOnInvalidId' } },
  { key: 'AuthorizeRemoteTxRequests', component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
  { key: 'LocalAuthorizeOffline', component: { name: 'AuthCtrlr' }, variable: { name: 'LocalAuthorizeOffline' } },
  { key: 'LocalPreAuthorize', component: { name: 'AuthCtrlr' }, variable: { name: 'LocalPreAuthorize' } },
  { key: 'AllowOfflineTxForUnknownId', component: { name: 'AuthCtrlr' }, variable: { name: 'OfflineTxForUnknownIdEnabled' } },
  { key: 'AuthorizationCacheEnabled', component: { name: 'AuthCacheCtrlr' }, variable: { name: 'Enabled' } },
  { key: 'LocalAuthListEnabled', component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } },
  { key: 'SendLocalListMaxLength', component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } },
  { key: 'ChargeProfileMaxStackLevel', component: { name: 'SmartChargingCtrlr' }, variable: { name: 'ProfileStackLevel' } },
  {
    key: 'ChargingScheduleAllowedChargingRateUnit',
    component: { name: 'SmartChargingCtrlr' },
    variable: { name: 'RateUnit' },
    toV16: rateUnits({ A: 'Current', W: 'Power' }),
    toV201: rateUnits({ Current: 'A', Power: 'W' }),
  },
  { key: 'ChargingScheduleMaxPeriods', component: { name: 'SmartChargingCtrlr' }, variable: { name: 'PeriodsPerSchedule' } },
  { key: 'ConnectorSwitch3to1PhaseSupported', component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Phases3to1' } },
  { key: 'MaxEnergyOnInvalidId', component: { name: 'TxCtrlr' }, variable: { name: 'MaxEnergyOnInvalidId' } },
  // Both versions list the same protocol names (FTP, FTPS, HTTP, HTTPS, SFTP), comma-separated.
  { key: 'SupportedFileTransferProtocols', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'FileTransferProtocols' } },
  // 1.6 security extension keys (a charger without it answers them as unknown keys: UnknownVariable).
  {
    key: 'AuthorizationKey',
    component: { name: 'SecurityCtrlr' },
    variable: { name: 'BasicAuthPassword' },
    toV16: passwordToHex,
    toV201: hexToPassword,
    writeOnly: true,
  },
  { key: 'CpoName', component: { name: 'SecurityCtrlr' }, variable: { name: 'OrganizationName' } },
  { key: 'SecurityProfile', component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' } },
  { key: 'AdditionalRootCertificateCheck', component: { name: 'SecurityCtrlr' }, variable: { name: 'AdditionalRootCertificateCheck' } },
  { key: 'CertificateSignedMaxChainSize', component: { name: 'SecurityCtrlr' }, variable: { name: 'MaxCertificateChainSize' } },
  { key: 'CertSigningWaitMinimum', component: { name: 'SecurityCtrlr' }, variable: { name: 'CertSigningWaitMinimum' } },
  { key: 'CertSigningRepeatTimes', component: { name: 'SecurityCtrlr' }, variable: { name: 'CertSigningRepeatTimes' } },
] satisfies ConfigKeyMapping[]);

interface ComponentRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}
interface VariableRef {
  name: string;
  instance?: string;
}

export type ConfigLookup =
  | { found: true; mapping: ConfigKeyMapping }
  | { found: false; status: 'UnknownComponent' | 'UnknownVariable' };

/** Finds the row for a 2.0.1 component/variable; says whether the component or only the variable is unknown. */
export function lookupVariable(table: readonly ConfigKeyMapping[], component: ComponentRef, variable: VariableRef): ConfigLookup {
  const sameComponent = table.filter(
    (row) => component.evse === undefined && row.component.name === component.name && row.component.instance === component.instance,
  );
  if (sameComponent.length === 0) return { found: false, status: 'UnknownComponent' };
  const mapping = sameComponent.find((row) => row.variable.name === variable.name && row.variable.instance === variable.instance);
  return mapping ? { found: true, mapping } : { found: false, status: 'UnknownVariable' };
}

/** Merges user rows over the defaults (a user row with the same 1.6 key or the same component/variable replaces it). */
export function mergeConfigKeys(
  base: readonly ConfigKeyMapping[],
  extra: readonly ConfigKeyMapping[] | undefined,
): readonly ConfigKeyMapping[] {
  if (!extra || extra.length === 0) return base;
  const sameTarget = (a: ConfigKeyMapping, b: ConfigKeyMapping) =>
    a.component.name === b.component.name &&
    a.component.instance === b.component.instance &&
    a.variable.name === b.variable.name &&
    a.variable.instance === b.variable.instance;
  const kept = base.filter((row) => !extra.some((e) => e.key === row.key || sameTarget(e, row)));
  return Object.freeze([...kept, ...extra]);
}
