import type { PresenceOwner } from './presenceStore.js';

/** A local connection found that another, newer connection owns its identity (it is stale and may be closed). */
export interface PresenceConflict {
  identity: string;
  /** The local connection that lost the identity. */
  connectionId: string;
  /** Who owns the identity now. */
  owner: PresenceOwner;
  /** What found the conflict. */
  during: 'register' | 'heartbeat' | 'reregister';
}

/** Events of a `ClusterAdapter` (and so of every transport built on it). */
export interface ClusterAdapterEvents {
  /**
   * A background failure: a heartbeat or re-registration that failed, a malformed message on a cluster channel, a message that failed signature verification,
   * a reply that could not be published. Without a listener these become process warnings.
   */
  error: [error: Error];
  presenceConflict: [conflict: PresenceConflict];
  /** The transport came back (e.g. Redis reconnected) and this node's presence was written again. */
  reregistered: [info: { records: number }];
}
