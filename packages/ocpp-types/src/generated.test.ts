import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFiles, listGenerated, writeFiles } from '../../../tools/generate-types/generate.ts';
import { PROTOCOL_DESCRIPTORS } from '../../../tools/generate-types/protocols.ts';
import { buildProtocolModel, readSchemaBundle } from '../../../tools/generate-types/schemaModel.ts';

const packageRoot = join(import.meta.dirname, '..');
const tempRoot = mkdtempSync(join(tmpdir(), 'ocpp-types-gen-'));

afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

describe('generated output', () => {
  it('matches a fresh generation file by file (run `npm run generate` after changing the generator or schemas)', () => {
    writeFiles(tempRoot, generateFiles(packageRoot));
    const fresh = listGenerated(tempRoot);
    const committed = listGenerated(packageRoot);
    expect(committed).toEqual(fresh);
    const stale = fresh.filter((f) => readFileSync(join(tempRoot, f), 'utf8') !== readFileSync(join(packageRoot, f), 'utf8'));
    expect(stale).toEqual([]);
    // 1.6: 39 × 2, 2.0.1: 64 × 2, 2.1: 90 × 2 + 1 SEND → 387 validators, plus 4 TypeScript modules.
    expect(fresh.filter((f) => f.endsWith('.cjs'))).toHaveLength(387);
  }, 120_000);

  it('refuses schema bundles that do not match the direction table or pair up', () => {
    const v16 = PROTOCOL_DESCRIPTORS[0]!;
    const bundle = readSchemaBundle(join(packageRoot, 'schemas'), v16);
    expect(() => buildProtocolModel(v16, bundle.filter((s) => !s.$id?.startsWith('urn:Heartbeat.'))))
      .toThrow(/direction table names unknown action Heartbeat/);
    expect(() => buildProtocolModel(v16, bundle.filter((s) => s.$id !== 'urn:Reset.conf'))).toThrow(/Reset lacks/);
    expect(() => buildProtocolModel(v16, [...bundle, { $id: 'urn:weird' }])).toThrow(/unrecognised schema id/);
    expect(buildProtocolModel(v16, bundle).actions).toHaveLength(39);
  });
});
