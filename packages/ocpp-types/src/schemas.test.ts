import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getSchema, listActions, PROTOCOLS } from './index.js';

const packageRoot = join(import.meta.dirname, '..');
const FILES = ['ocpp1_6.json', 'ocpp2_0_1.json', 'ocpp2_1.json'];

describe('official schemas', () => {
  it('are byte-identical copies of the ones ocpp-rpc ships', () => {
    const rpcRoot = dirname(createRequire(import.meta.url).resolve('ocpp-rpc/package.json'));
    for (const file of FILES) {
      expect(readFileSync(join(packageRoot, 'schemas', file)).equals(readFileSync(join(rpcRoot, 'lib/schemas', file))), file).toBe(true);
    }
  });

  it('carry the OCA attribution, including the CC BY-ND 4.0 licence of 2.1', () => {
    const notice = readFileSync(join(packageRoot, 'schemas/NOTICE.md'), 'utf8');
    expect(notice).toContain('Open Charge Alliance');
    expect(notice).toContain('CC BY-ND 4.0');
  });

  it('getSchema returns the unmodified official schema of every payload, as a copy', () => {
    const bundles = FILES.map((f) => JSON.parse(readFileSync(join(packageRoot, 'schemas', f), 'utf8')) as Array<{ $id: string }>);
    PROTOCOLS.forEach((protocol, i) => {
      const ids = new Set<string>();
      for (const action of listActions(protocol)) {
        for (const kind of ['request', 'response'] as const) {
          const schema = getSchema(protocol, action, kind) as { $id: string } | undefined;
          if (!schema) continue;
          expect(bundles[i]!.find((s) => s.$id === schema.$id)).toEqual(schema);
          ids.add(schema.$id);
        }
      }
      expect(ids.size).toBe(bundles[i]!.length);
    });
    expect(getSchema('ocpp1.6', 'Authorize', 'request')).toMatchObject({ $id: 'urn:Authorize.req' });
    expect(getSchema('ocpp2.1', 'Authorize', 'response')).toMatchObject({ $id: 'urn:AuthorizeResponse' });
    (getSchema('ocpp1.6', 'Authorize', 'request') as Record<string, unknown>)['$id'] = 'mutated';
    expect(getSchema('ocpp1.6', 'Authorize', 'request')).toMatchObject({ $id: 'urn:Authorize.req' });
    expect(getSchema('ocpp1.6', 'Nope', 'request')).toBeUndefined();
  });
});
