export { runAdapterConformanceSuite } from './adapterConformance.js';
export type { AdapterCluster } from './adapterConformance.js';
