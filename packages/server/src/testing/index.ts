// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
export { runAdapterConformanceSuite } from './adapterConformance.js';
export type { AdapterCluster } from './adapterConformance.js';
export { generateTestCertificates } from './testCertificates.js';
export type { TestCertificates } from './testCertificates.js';
