import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_AUTH, startTestCsms, type TestCsms } from '../testing/harness.fixture.js';

/** Whatever JSON a client sends, the API answers a typed error or success, never a 500. */
describe('REST input (property)', () => {
  let t: TestCsms;
  beforeAll(async () => {
    t = await startTestCsms();
    await t.api('POST', '/api/v1/chargers', { id: 'CP-P' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const endpoints: Array<[string, string]> = [
    ['POST', '/api/v1/chargers'],
    ['PATCH', '/api/v1/chargers/CP-P'],
    ['POST', '/api/v1/id-tags'],
    ['PUT', '/api/v1/id-tags/PROP-TAG'],
    ['POST', '/api/v1/chargers/CP-P/remote-start'],
    ['POST', '/api/v1/chargers/CP-P/remote-stop'],
    ['PUT', '/api/v1/chargers/CP-P/configuration'],
  ];
  const fieldNames = fc.constantFrom('id', 'password', 'registrationStatus', 'description', 'idTag', 'status', 'expiryDate', 'parentIdTag', 'connectorId', 'transactionId', 'key', 'value', 'type', 'x');
  const body = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fieldNames, fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }))),
  );

  it('answers every JSON body with a typed status and error body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), body, async ([method, path], payload) => {
        const res = await fetch(`${t.baseUrl}${path}`, { method, headers: { ...OPERATOR_AUTH, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        const json = (await res.json()) as { error?: unknown; message?: unknown };
        expect(res.status).not.toBe(500);
        expect([200, 201, 400, 404, 409]).toContain(res.status);
        if (res.status >= 400) {
          expect(typeof json.error).toBe('string');
          expect(typeof json.message).toBe('string');
        }
      }),
      { numRuns: 80 },
    );
  });

  it('never crashes on path segments it cannot use', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), async (segment) => {
        const res = await fetch(`${t.baseUrl}/api/v1/chargers/${encodeURIComponent(segment)}`, { headers: OPERATOR_AUTH });
        expect([200, 404]).toContain(res.status);
        const tx = await fetch(`${t.baseUrl}/api/v1/transactions/${encodeURIComponent(segment)}`, { headers: OPERATOR_AUTH });
        expect([200, 400, 404]).toContain(tx.status);
      }),
      { numRuns: 50 },
    );
  });
});
