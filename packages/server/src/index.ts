export { Adapter } from './adapter/adapter.js';
export type {
  AdapterHost,
  BroadcastReport,
  PresenceRecord,
  RemoteCallOutcome,
  RemoteCallRequest,
  SerializedError,
} from './adapter/adapter.js';
export { InMemoryAdapter, InMemoryCluster } from './adapter/inMemoryAdapter.js';
export type { InMemoryAdapterOptions } from './adapter/inMemoryAdapter.js';
