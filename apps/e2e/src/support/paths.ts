import { fileURLToPath } from 'node:url';

/** The monorepo root, for spawning built binaries and sources. */
export const workspaceRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The CLI as npm users run it: the built bin (the test target builds every dependency first). */
export const cliBin = `${workspaceRoot}packages/cli/dist/bin.js`;

/** The example CSMS entry, run from its TypeScript sources like `npm start` does. */
export const csmsMain = `${workspaceRoot}apps/example-csms/src/main.ts`;

/** The example CSMS entry as built by its `build` target (`dist/`), for runs that measure a deployment. */
export const csmsMainBuilt = `${workspaceRoot}apps/example-csms/dist/main.js`;
