import { GENERATED_HEADER } from './emitTypes.js';
import type { ProtocolModel } from './schemaModel.js';

/** Runtime twin of the action maps: origin, SEND flag and official schema ids per action. */
export function emitActionTable(models: readonly ProtocolModel[]): string {
  let out = `${GENERATED_HEADER}\nimport type { ActionInfo } from '../actionInfo.js';\n\n`;
  out += '/** Every action of every protocol, from the official schemas and the direction table of the generator. */\n';
  out += 'export const ACTION_TABLE: {\n';
  out += models.map((m) => `  readonly '${m.descriptor.name}': Readonly<Record<string, ActionInfo>>;\n`).join('');
  out += '} = {\n';
  for (const m of models) {
    out += `  '${m.descriptor.name}': {\n`;
    for (const a of m.actions) {
      const origin = a.origin.map((o) => `'${o}'`).join(', ');
      const ids = a.response ? `'${a.request.$id}', '${a.response.$id}'` : `'${a.request.$id}'`;
      out += `    ${a.action}: { origin: [${origin}], send: ${a.send}, schemaIds: [${ids}] },\n`;
    }
    out += '  },\n';
  }
  return `${out}};\n`;
}
