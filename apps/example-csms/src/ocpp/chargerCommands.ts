import { randomInt } from 'node:crypto';
import type { OcppProtocols, OutboundActionOf, RequestOf, ResponseOf } from '@chargewire/ocpp-types';
import { toKey, toVariableAddress, KEY_MAP, type VariableAddress } from './configurationKeys.js';

/** The protocol versions the CSMS sends commands in. */
export type CommandProtocol = 'ocpp1.6' | 'ocpp2.0.1';

/** Anything that can CALL a charger: a local ServerClient or a cluster handle from `findClient()`. */
export interface ChargerLink {
  call<P extends keyof OcppProtocols, A extends OutboundActionOf<P, 'CSMS'>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A>>,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ResponseOf<P, A>>;
}

export interface RemoteStartInput {
  /** 1.6 connectorId / 2.0.1 evseId; omitted = the charger picks. */
  connectorId?: number | undefined;
  idTag: string;
  /** 2.0.1 IdTokenEnumType of the token. @default 'ISO14443' */
  idTokenType?: Ocpp201IdTokenType | undefined;
}

export type Ocpp201IdTokenType = RequestOf<'ocpp2.0.1', 'RequestStartTransaction'>['idToken']['type'];
export const ID_TOKEN_TYPES: readonly Ocpp201IdTokenType[] = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
];

/** Reset kinds in the REST API; 2.0.1 has Immediate/OnIdle instead (Hard → Immediate, Soft → OnIdle). */
export type ResetKind = 'Soft' | 'Hard';

/** 1.6 RemoteStartTransaction / 2.0.1 RequestStartTransaction. */
export async function remoteStart(
  link: ChargerLink,
  protocol: CommandProtocol,
  input: RemoteStartInput,
  /** Called with the 2.0.1 remoteStartId before the request is sent (events may arrive before its answer). */
  bindRemoteStartId?: (remoteStartId: number) => Promise<void>,
): Promise<{ status: string; remoteStartId?: number; transactionId?: string }> {
  if (protocol === 'ocpp1.6') {
    const params: RequestOf<'ocpp1.6', 'RemoteStartTransaction'> = { idTag: input.idTag };
    if (input.connectorId !== undefined) params.connectorId = input.connectorId;
    const res = await link.call('ocpp1.6', 'RemoteStartTransaction', params);
    return { status: res.status };
  }
  const remoteStartId = randomInt(1, 2 ** 31 - 1);
  const params: RequestOf<'ocpp2.0.1', 'RequestStartTransaction'> = {
    idToken: { idToken: input.idTag, type: input.idTokenType ?? 'ISO14443' },
    remoteStartId,
  };
  if (input.connectorId !== undefined) params.evseId = input.connectorId;
  await bindRemoteStartId?.(remoteStartId);
  const res = await link.call('ocpp2.0.1', 'RequestStartTransaction', params);
  return res.transactionId === undefined
    ? { status: res.status, remoteStartId }
    : { status: res.status, remoteStartId, transactionId: res.transactionId };
}

/** 1.6 RemoteStopTransaction / 2.0.1 RequestStopTransaction, by the id the charger uses. */
export async function remoteStop(link: ChargerLink, protocol: CommandProtocol, ocppTransactionId: string): Promise<{ status: string }> {
  if (protocol === 'ocpp1.6') {
    const res = await link.call('ocpp1.6', 'RemoteStopTransaction', { transactionId: Number(ocppTransactionId) });
    return { status: res.status };
  }
  const res = await link.call('ocpp2.0.1', 'RequestStopTransaction', { transactionId: ocppTransactionId });
  return { status: res.status };
}

export async function reset(link: ChargerLink, protocol: CommandProtocol, kind: ResetKind): Promise<{ status: string }> {
  if (protocol === 'ocpp1.6') {
    const res = await link.call('ocpp1.6', 'Reset', { type: kind });
    return { status: res.status };
  }
  const res = await link.call('ocpp2.0.1', 'Reset', { type: kind === 'Hard' ? 'Immediate' : 'OnIdle' });
  return { status: res.status };
}

export interface ConfigurationEntry {
  key: string;
  value: string | null;
  readonly: boolean | null;
}

export interface ConfigurationResult {
  configuration: ConfigurationEntry[];
  /** Keys the charger does not know (2.0.1: with the attribute status it answered). */
  unknownKeys: Array<{ key: string; status: string }>;
}

/**
 * 1.6 GetConfiguration / 2.0.1 GetVariables. An empty key list asks a 1.6 charger for everything and a
 * 2.0.1 charger for the variables that the 1.6 standard keys map to.
 */
export async function getConfiguration(link: ChargerLink, protocol: CommandProtocol, keys: readonly string[]): Promise<ConfigurationResult> {
  if (protocol === 'ocpp1.6') {
    const res = await link.call('ocpp1.6', 'GetConfiguration', keys.length > 0 ? { key: [...keys] } : {});
    return {
      configuration: (res.configurationKey ?? []).map((k) => ({ key: k.key, value: k.value ?? null, readonly: k.readonly })),
      unknownKeys: (res.unknownKey ?? []).map((key) => ({ key, status: 'Unknown' })),
    };
  }
  const wanted = keys.length > 0 ? keys : Object.keys(KEY_MAP);
  const unknownKeys: ConfigurationResult['unknownKeys'] = [];
  const addresses: Array<{ key: string; address: VariableAddress }> = [];
  for (const key of wanted) {
    const address = toVariableAddress(key);
    if (address === undefined) unknownKeys.push({ key, status: 'UnknownKeyFormat' });
    else addresses.push({ key, address });
  }
  if (addresses.length === 0) return { configuration: [], unknownKeys };
  const res = await link.call('ocpp2.0.1', 'GetVariables', {
    getVariableData: addresses.map(({ address }) => ({ component: address.component, variable: address.variable })),
  });
  const configuration: ConfigurationEntry[] = [];
  for (const result of res.getVariableResult) {
    const address: VariableAddress = { component: result.component, variable: result.variable };
    const asked = addresses.find((a) => sameAddress(a.address, address));
    const key = asked?.key ?? toKey(address);
    if (result.attributeStatus === 'Accepted') configuration.push({ key, value: result.attributeValue ?? null, readonly: null });
    else unknownKeys.push({ key, status: result.attributeStatus });
  }
  return { configuration, unknownKeys };
}

/** 1.6 ChangeConfiguration / 2.0.1 SetVariables (one variable). */
export async function changeConfiguration(
  link: ChargerLink,
  protocol: CommandProtocol,
  key: string,
  value: string,
): Promise<{ status: string }> {
  if (protocol === 'ocpp1.6') {
    const res = await link.call('ocpp1.6', 'ChangeConfiguration', { key, value });
    return { status: res.status };
  }
  const address = toVariableAddress(key);
  if (address === undefined) return { status: 'UnknownKeyFormat' };
  const res = await link.call('ocpp2.0.1', 'SetVariables', {
    setVariableData: [{ component: address.component, variable: address.variable, attributeValue: value }],
  });
  return { status: res.setVariableResult[0]?.attributeStatus ?? 'Rejected' };
}

function sameAddress(a: VariableAddress, b: VariableAddress): boolean {
  return (
    a.component.name === b.component.name &&
    a.component.instance === b.component.instance &&
    a.variable.name === b.variable.name &&
    a.variable.instance === b.variable.instance
  );
}

/**
 * 1.6 UnlockConnector (connectorId) / 2.0.1 UnlockConnector (evseId + connectorId 1: the REST model's
 * one-connector-per-EVSE layout).
 */
export async function unlockConnector(link: ChargerLink, protocol: CommandProtocol, connectorId: number): Promise<{ status: string }> {
  if (protocol === 'ocpp1.6') return { status: (await link.call('ocpp1.6', 'UnlockConnector', { connectorId })).status };
  return { status: (await link.call('ocpp2.0.1', 'UnlockConnector', { evseId: connectorId, connectorId: 1 })).status };
}
