import type { Req16, Req201, Res16, Res201 } from '../../wire/types.js';
import { notSupported } from '../errors.js';
import { resultOf, single, type ActionPlan, type ActionTranslator, type OutboundCall, type TranslatorEnv } from '../plan.js';

type CertificateUse201 = NonNullable<Req201<'GetInstalledCertificateIds'>['certificateType']>[number];
type CertificateUse16 = Req16<'InstallCertificate'>['certificateType'];
type HashChain = NonNullable<Res201<'GetInstalledCertificateIds'>['certificateHashDataChain']>;

/** The 1.6 security extension only knows the two root certificate kinds of the charge point itself. */
const CERTIFICATE_USE_16: Partial<Record<CertificateUse201, CertificateUse16>> = {
  CSMSRootCertificate: 'CentralSystemRootCertificate',
  ManufacturerRootCertificate: 'ManufacturerRootCertificate',
};

function requireExtension(action: string, env: TranslatorEnv): void {
  if (!env.policy.securityExtension) throw notSupported(action, 'needs the OCPP 1.6 security extension (policy securityExtension)');
}

function use16(action: string, use: CertificateUse201): CertificateUse16 {
  const mapped = CERTIFICATE_USE_16[use];
  if (!mapped) throw notSupported(action, `certificate type ${use} has no OCPP 1.6 counterpart`);
  return mapped;
}

export const certificateSigned: ActionTranslator<Req201<'CertificateSigned'>> = async (p, env) => {
  requireExtension('CertificateSigned', env);
  if (p.certificateType === 'V2GCertificate') throw notSupported('CertificateSigned', 'a 1.6 charge point has no V2G certificate');
  return single<Res16<'CertificateSigned'>>('CertificateSigned', { certificateChain: p.certificateChain }, (r): Res201<'CertificateSigned'> => ({
    status: r.status,
  }));
};

export const installCertificate: ActionTranslator<Req201<'InstallCertificate'>> = async (p, env) => {
  requireExtension('InstallCertificate', env);
  return single<Res16<'InstallCertificate'>>(
    'InstallCertificate',
    { certificateType: use16('InstallCertificate', p.certificateType), certificate: p.certificate },
    (r): Res201<'InstallCertificate'> => ({ status: r.status }),
  );
};

export const deleteCertificate: ActionTranslator<Req201<'DeleteCertificate'>> = async (p, env) => {
  requireExtension('DeleteCertificate', env);
  return single<Res16<'DeleteCertificate'>>('DeleteCertificate', { certificateHashData: p.certificateHashData }, (r): Res201<'DeleteCertificate'> => ({
    status: r.status,
  }));
};

/**
 * GetInstalledCertificateIds: 1.6 asks for one certificate type per call, so each requested type the charger can
 * have becomes one call and the answers are merged; types a 1.6 charger cannot hold simply have no entries.
 */
export const getInstalledCertificateIds: ActionTranslator<Req201<'GetInstalledCertificateIds'>> = async (p, env) => {
  requireExtension('GetInstalledCertificateIds', env);
  const requested = p.certificateType ?? (Object.keys(CERTIFICATE_USE_16) as CertificateUse201[]);
  const uses = requested.filter((use) => CERTIFICATE_USE_16[use] !== undefined);
  const calls: OutboundCall[] = uses.map((use) => ({ action: 'GetInstalledCertificateIds', params: { certificateType: use16('GetInstalledCertificateIds', use) } }));
  const plan: ActionPlan = {
    calls,
    respond: (outcomes): Res201<'GetInstalledCertificateIds'> => {
      const chain: HashChain = [];
      uses.forEach((use, i) => {
        const r = resultOf<Res16<'GetInstalledCertificateIds'>>(outcomes[i]);
        if (r.status === 'Accepted') for (const hash of r.certificateHashData ?? []) chain.push({ certificateHashData: hash, certificateType: use });
      });
      return chain.length > 0 ? { status: 'Accepted', certificateHashDataChain: chain } : { status: 'NotFound' };
    },
  };
  return plan;
};
