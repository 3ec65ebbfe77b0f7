import type { Req16, Res16, Res201 } from '../../wire/types.js';
import { TranslationError } from '../errors.js';
import { toIdTagInfo, toIdToken } from '../idTokens.js';
import { defined, single, type ActionTranslator, type TranslatorEnv } from '../plan.js';

/** Request ids the backend gave, needed to label 1.6 notifications that carry none (2.0.1 requires them). */
export const LOG_REQUEST_ID = 'logRequestId';
export const FIRMWARE_REQUEST_ID = 'firmwareRequestId';

async function storedInt(env: TranslatorEnv, key: string): Promise<number | undefined> {
  const raw = await env.store.getValue(env.identity, key);
  return raw === undefined ? undefined : Number(raw);
}

export const bootNotification: ActionTranslator<Req16<'BootNotification'>> = async (p, env) => {
  const serialNumber = p.chargePointSerialNumber ?? p.chargeBoxSerialNumber;
  const dropped = (['meterType', 'meterSerialNumber'] as const).filter((k) => p[k] !== undefined);
  if (p.chargePointSerialNumber !== undefined && p.chargeBoxSerialNumber !== undefined) dropped.push('chargeBoxSerialNumber' as never);
  if (dropped.length) env.note(`BootNotification ${dropped.join(', ')} have no 2.0.1 field; left out`);
  const modem = p.iccid !== undefined || p.imsi !== undefined ? defined({ iccid: p.iccid, imsi: p.imsi }) : undefined;
  return single<Res201<'BootNotification'>>(
    'BootNotification',
    {
      reason: env.policy.bootReason,
      chargingStation: defined({
        vendorName: p.chargePointVendor,
        model: p.chargePointModel,
        serialNumber,
        firmwareVersion: p.firmwareVersion,
        modem,
      }),
    },
    (r): Res16<'BootNotification'> => ({ status: r.status, currentTime: r.currentTime, interval: r.interval }),
  );
};

export const heartbeat: ActionTranslator<Req16<'Heartbeat'>> = async () =>
  single<Res201<'Heartbeat'>>('Heartbeat', {}, (r): Res16<'Heartbeat'> => ({ currentTime: r.currentTime }));

export const authorize: ActionTranslator<Req16<'Authorize'>> = async (p, env) =>
  single<Res201<'Authorize'>>('Authorize', { idToken: await toIdToken(p.idTag, env) }, async (r): Promise<Res16<'Authorize'>> => ({
    idTagInfo: await toIdTagInfo(r.idTokenInfo, env),
  }));

/** 2.0.1 DataTransfer data is any JSON; 1.6 data is a string (policy dataTransferEncoding). */
export function dataToString(data: unknown, env: TranslatorEnv, action: string): string | undefined {
  if (data === undefined || typeof data === 'string') return data;
  if (env.policy.dataTransferEncoding === 'reject') {
    throw new TranslationError('NotSupported', `${action}: non-string DataTransfer data cannot be sent to a 1.6 peer`, { action });
  }
  return JSON.stringify(data);
}

export const dataTransfer: ActionTranslator<Req16<'DataTransfer'>> = async (p, env) =>
  single<Res201<'DataTransfer'>>(
    'DataTransfer',
    // 1.6 strings pass unchanged and are never parsed: the charger may send any text.
    defined({ vendorId: p.vendorId, messageId: p.messageId, data: p.data }),
    (r): Res16<'DataTransfer'> => defined({ status: r.status, data: dataToString(r.data, env, 'DataTransfer') }),
  );

export const firmwareStatusNotification: ActionTranslator<Req16<'FirmwareStatusNotification'>> = async (p, env) => {
  const requestId = p.status === 'Idle' ? undefined : await storedInt(env, FIRMWARE_REQUEST_ID);
  return single('FirmwareStatusNotification', defined({ status: p.status, requestId }), () => ({}));
};

const DIAGNOSTICS_TO_LOG = { Idle: 'Idle', Uploaded: 'Uploaded', UploadFailed: 'UploadFailure', Uploading: 'Uploading' } as const;

export const diagnosticsStatusNotification: ActionTranslator<Req16<'DiagnosticsStatusNotification'>> = async (p, env) => {
  const requestId = p.status === 'Idle' ? undefined : await storedInt(env, LOG_REQUEST_ID);
  return single('LogStatusNotification', defined({ status: DIAGNOSTICS_TO_LOG[p.status], requestId }), () => ({}));
};

export const securityEventNotification: ActionTranslator<Req16<'SecurityEventNotification'>> = async (p) =>
  single('SecurityEventNotification', defined({ type: p.type, timestamp: p.timestamp, techInfo: p.techInfo }), () => ({}));

export const signCertificate: ActionTranslator<Req16<'SignCertificate'>> = async (p) =>
  single<Res201<'SignCertificate'>>(
    'SignCertificate',
    // The 1.6 security extension only signs the charge point's own certificate.
    { csr: p.csr, certificateType: 'ChargingStationCertificate' },
    (r): Res16<'SignCertificate'> => ({ status: r.status }),
  );

export const logStatusNotification: ActionTranslator<Req16<'LogStatusNotification'>> = async (p) =>
  single('LogStatusNotification', defined({ status: p.status, requestId: p.requestId }), () => ({}));

export const signedFirmwareStatusNotification: ActionTranslator<Req16<'SignedFirmwareStatusNotification'>> = async (p) =>
  single('FirmwareStatusNotification', defined({ status: p.status, requestId: p.requestId }), () => ({}));
