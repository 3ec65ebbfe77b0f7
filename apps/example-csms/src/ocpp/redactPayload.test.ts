import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactPayload } from './redactPayload.js';

describe('redactPayload', () => {
  it('redacts secret fields and the values of secret keys and variables in every message shape that carries them', () => {
    expect(redactPayload({ key: 'AuthorizationKey', value: 's1' })).toEqual({ key: 'AuthorizationKey', value: REDACTED });
    expect(redactPayload({ getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: 's2', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] }))
      .toEqual({ getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: REDACTED, component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] });
    expect(redactPayload({ reportData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, variableAttribute: [{ value: 's3' }] }] }))
      .toEqual({ reportData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, variableAttribute: [{ value: REDACTED }] }] });
    expect(redactPayload({ connectionData: { apn: { apn: 'internet', apnPassword: 's4', apnAuthentication: 'AUTO' } } }))
      .toEqual({ connectionData: { apn: { apn: 'internet', apnPassword: REDACTED, apnAuthentication: 'AUTO' } } });
    // Id tokens are identifiers, not secrets; ordinary settings stay readable.
    expect(redactPayload({ idToken: { idToken: 'TAG', type: 'ISO14443' }, key: 'HeartbeatInterval', value: '300' }))
      .toEqual({ idToken: { idToken: 'TAG', type: 'ISO14443' }, key: 'HeartbeatInterval', value: '300' });
  });

  it('never lets a value under a secret name through, however deep or wherever it sits', () => {
    const secretName = fc.constantFrom('password', 'apnPassword', 'AuthorizationKey', 'BasicAuthPassword', 'clientSecret', 'accessToken');
    const secret = 'SECRET-VALUE-' + 'x'.repeat(8);
    fc.assert(
      fc.property(secretName, fc.array(fc.constantFrom('a', 'b', 'items', 'data'), { maxLength: 6 }), fc.constantFrom('field', 'key', 'variable'), (name, path, form) => {
        let node: unknown =
          form === 'field' ? { [name]: secret } : form === 'key' ? { key: name, value: secret } : { variable: { name }, attributeValue: secret };
        for (const step of path) node = step === 'items' ? [node] : { [step]: node };
        expect(JSON.stringify(redactPayload(node))).not.toContain(secret);
      }),
    );
  });
});
