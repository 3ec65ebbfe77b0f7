import { defineProject } from '../../vitest.shared.ts';

/**
 * The shared conditions list includes 'import', which vitest also forwards to the worker as
 * `node --conditions import`: Node then resolves `require('is-promise')` inside Express's router to the
 * package's ESM build and routing breaks ("isPromise is not a function"). Node and Vite add 'import'
 * to ESM imports by themselves, so it is dropped here.
 */
const conditions = ['@chargewire/source', 'node', 'default'];
const config = defineProject();
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };

export default config;
