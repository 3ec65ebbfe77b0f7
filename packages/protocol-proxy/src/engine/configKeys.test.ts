import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { backendExchange } from '../testing/harness.fixture.js';
import { DEFAULT_CONFIG_KEYS, hexToPassword, passwordToHex } from './configKeys.js';
import { createTranslator } from './translator.js';

const make = () => createTranslator({ store: new InMemorySessionStore() });

/** Rows checked against the 2.0.1 standardized components and variables (Part 2, Appendix 3). */
const NEW_ROWS: Array<[string, string, string]> = [
  ['MaxEnergyOnInvalidId', 'TxCtrlr', 'MaxEnergyOnInvalidId'],
  ['ConnectorSwitch3to1PhaseSupported', 'SmartChargingCtrlr', 'Phases3to1'],
  ['SupportedFileTransferProtocols', 'OCPPCommCtrlr', 'FileTransferProtocols'],
  ['CpoName', 'SecurityCtrlr', 'OrganizationName'],
  ['SecurityProfile', 'SecurityCtrlr', 'SecurityProfile'],
  ['AdditionalRootCertificateCheck', 'SecurityCtrlr', 'AdditionalRootCertificateCheck'],
  ['CertificateSignedMaxChainSize', 'SecurityCtrlr', 'MaxCertificateChainSize'],
  ['CertSigningWaitMinimum', 'SecurityCtrlr', 'CertSigningWaitMinimum'],
  ['CertSigningRepeatTimes', 'SecurityCtrlr', 'CertSigningRepeatTimes'],
];

describe('configuration keys with a 2.0.1 variable', () => {
  it.each(NEW_ROWS)('%s ⇄ %s.%s is read and written through GetVariables / SetVariables', async (key, component, variable) => {
    const t = make();
    const got = await backendExchange(t, 'CP1', 'GetVariables', { getVariableData: [{ component: { name: component }, variable: { name: variable } }] }, () => ({
      configurationKey: [{ key, readonly: false, value: '42' }],
    }));
    expect(got.calls).toEqual([{ action: 'GetConfiguration', params: { key: [key] } }]);
    expect(got.result).toMatchObject({ getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '42' }] });
    const set = await backendExchange(t, 'CP1', 'SetVariables', { setVariableData: [{ component: { name: component }, variable: { name: variable }, attributeValue: '7' }] }, () => ({ status: 'Accepted' }));
    expect(set.calls).toEqual([{ action: 'ChangeConfiguration', params: { key, value: '7' } }]);
  });

  it('every 1.6 key and every component/variable appears once in the table', () => {
    const keys = DEFAULT_CONFIG_KEYS.map((r) => r.key);
    const targets = DEFAULT_CONFIG_KEYS.map((r) => `${r.component.name}.${r.variable.name}[${r.variable.instance ?? ''}]`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(targets).size).toBe(targets.length);
  });
});

describe('AuthorizationKey ⇄ SecurityCtrlr.BasicAuthPassword', () => {
  it('SetVariables sends any password to the 1.6 charger hex-encoded, and it decodes back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 16, maxLength: 40 }), async (password) => {
        const ex = await backendExchange(make(), 'CP1', 'SetVariables', {
          setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: password }],
        }, () => ({ status: 'Accepted' }));
        const sent = ex.calls[0]?.params as { key: string; value: string };
        expect(sent.key).toBe('AuthorizationKey');
        expect(sent.value).toMatch(/^(?:[0-9a-f]{2})+$/);
        expect(Buffer.from(sent.value, 'hex').toString('utf8')).toBe(password);
        expect(hexToPassword(passwordToHex(password))).toBe(password);
        expect(ex.result).toMatchObject({ setVariableResult: [{ attributeStatus: 'Accepted' }] });
      }),
      { numRuns: 100 },
    );
  });

  it('is write-only: GetVariables is Rejected without asking the charger, a report lists it without a value', async () => {
    const t = make();
    const got = await backendExchange(t, 'CP1', 'GetVariables', { getVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] }, () => ({}));
    expect(got.calls).toEqual([]);
    expect(got.result).toMatchObject({ getVariableResult: [{ attributeStatus: 'Rejected' }] });
    const report = await backendExchange(t, 'CP1', 'GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }, () => ({
      configurationKey: [{ key: 'AuthorizationKey', readonly: false, value: '736563726574' }],
    }));
    const data = (report.followUps?.[0]?.params as { reportData: Array<{ variable: { name: string }; variableAttribute: Array<{ value?: string; mutability: string }> }> }).reportData;
    expect(data).toEqual([{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, variableAttribute: [{ type: 'Actual', mutability: 'WriteOnly' }] }]);
  });

  it('a password whose hex form exceeds the 500 characters of ChangeConfiguration is Rejected locally', async () => {
    const ex = await backendExchange(make(), 'CP1', 'SetVariables', {
      setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: 'é'.repeat(130) }],
    }, () => ({ status: 'Accepted' }));
    expect(ex.calls).toEqual([]);
    expect(ex.result).toMatchObject({ setVariableResult: [{ attributeStatus: 'Rejected' }] });
  });
});
