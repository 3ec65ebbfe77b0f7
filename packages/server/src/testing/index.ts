// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
export { runAdapterConformanceSuite, runClusterProtocolSuite } from './adapterConformance.js';
export type { AdapterCluster, ClusterProtocolCluster, ClusterProtocolOptions } from './adapterConformance.js';
export { generateTestCertificates } from './testCertificates.js';
export type { TestCertificates } from './testCertificates.js';
export { createMessageSigner } from '../adapter/cluster/messageSigner.js';
export { encodeMessage as encodeClusterMessage } from '../adapter/cluster/wireMessages.js';
export type { WireMessage as ClusterWireMessage } from '../adapter/cluster/wireMessages.js';
