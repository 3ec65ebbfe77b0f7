import type { Req201, Res16, Res201 } from '../../wire/types.js';
import { FIRMWARE_REQUEST_ID, LOG_REQUEST_ID } from '../charger/simple.js';
import { notSupported } from '../errors.js';
import { defined, single, type ActionTranslator } from '../plan.js';

/**
 * UpdateFirmware → 1.6 UpdateFirmware, or SignedUpdateFirmware for signed firmware when the charger has the
 * security extension. The requestId is remembered: 1.6 FirmwareStatusNotification does not carry it.
 */
export const updateFirmware: ActionTranslator<Req201<'UpdateFirmware'>> = async (p, env) => {
  const fw = p.firmware;
  const signed = fw.signature !== undefined || fw.signingCertificate !== undefined;
  await env.store.setValue(env.identity, FIRMWARE_REQUEST_ID, String(p.requestId));
  if (signed || (env.policy.securityExtension && fw.installDateTime !== undefined)) {
    if (!env.policy.securityExtension) {
      throw notSupported('UpdateFirmware', 'signed firmware needs the OCPP 1.6 security extension (policy securityExtension)');
    }
    if (fw.signature === undefined || fw.signingCertificate === undefined) {
      throw notSupported('UpdateFirmware', 'SignedUpdateFirmware needs both signature and signingCertificate');
    }
    return single<Res16<'SignedUpdateFirmware'>>(
      'SignedUpdateFirmware',
      defined({ retries: p.retries, retryInterval: p.retryInterval, requestId: p.requestId, firmware: { ...fw, signature: fw.signature, signingCertificate: fw.signingCertificate } }),
      (r): Res201<'UpdateFirmware'> => ({ status: r.status }),
    );
  }
  if (fw.installDateTime !== undefined) {
    throw notSupported('UpdateFirmware', 'a 1.6 charger installs when downloaded; installDateTime cannot be honoured');
  }
  return single<Res16<'UpdateFirmware'>>(
    'UpdateFirmware',
    defined({ location: fw.location, retrieveDate: fw.retrieveDateTime, retries: p.retries, retryInterval: p.retryInterval }),
    // 1.6 UpdateFirmware.conf is empty: the charger accepted the request by answering.
    (): Res201<'UpdateFirmware'> => ({ status: 'Accepted' }),
  );
};

/** GetLog → GetDiagnostics (or the security extension's GetLog). The requestId labels later status notifications. */
export const getLog: ActionTranslator<Req201<'GetLog'>> = async (p, env) => {
  await env.store.setValue(env.identity, LOG_REQUEST_ID, String(p.requestId));
  if (env.policy.securityExtension && (p.logType === 'DiagnosticsLog' || p.logType === 'SecurityLog')) {
    return single<Res16<'GetLog'>>(
      'GetLog',
      defined({ log: p.log, logType: p.logType, requestId: p.requestId, retries: p.retries, retryInterval: p.retryInterval }),
      (r): Res201<'GetLog'> => defined({ status: r.status, filename: r.filename }),
    );
  }
  if (p.logType !== 'DiagnosticsLog') {
    throw notSupported('GetLog', 'a SecurityLog needs the OCPP 1.6 security extension (policy securityExtension)');
  }
  return single<Res16<'GetDiagnostics'>>(
    'GetDiagnostics',
    defined({
      location: p.log.remoteLocation,
      startTime: p.log.oldestTimestamp,
      stopTime: p.log.latestTimestamp,
      retries: p.retries,
      retryInterval: p.retryInterval,
    }),
    // 1.6 §6.19: no fileName means no diagnostics are available, so nothing will be uploaded.
    (r): Res201<'GetLog'> =>
      r.fileName === undefined ? { status: 'Rejected', statusInfo: { reasonCode: 'NoDiagnostics' } } : { status: 'Accepted', filename: r.fileName },
  );
};
