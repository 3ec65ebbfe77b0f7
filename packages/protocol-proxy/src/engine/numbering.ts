import { TranslationError } from './errors.js';

/**
 * 1.6 hardware has one connector per EVSE: 1.6 connectorId n ≥ 1 ⇄ 2.0.1 evse n, connector 1;
 * 1.6 connectorId 0 ⇄ the whole station (no evse).
 */
export function evseOf(connectorId: number): { id: number; connectorId: number } | undefined {
  return connectorId === 0 ? undefined : { id: connectorId, connectorId: 1 };
}

/** 1.6 connectorId for a 2.0.1 evse reference; throws when it names a connector a 1.6 station cannot have. */
export function connectorOf(action: string, evse: { id: number; connectorId?: number } | undefined): number {
  if (!evse) return 0;
  if (evse.connectorId !== undefined && evse.connectorId !== 1) {
    throw new TranslationError(
      'NotSupported',
      `${action}: EVSE ${evse.id} connector ${evse.connectorId} does not exist on a 1.6 charger (one connector per EVSE)`,
      { action, evse },
    );
  }
  return evse.id;
}
