export { runAdapterConformanceSuite } from './adapterConformance.js';
export type { AdapterCluster } from './adapterConformance.js';
export { generateTestCertificates } from './testCertificates.js';
export type { TestCertificates } from './testCertificates.js';
