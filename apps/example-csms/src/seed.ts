import type { Store } from './store/store.js';

/** The id tag a first run can charge with (dashboard default, README examples). */
export const DEMO_ID_TAG = 'DEMO-TAG-1';

/**
 * First-start data: only on a fresh database (schema created just now), so deleting the demo tag later
 * is respected on the next start.
 */
export async function seedFreshDatabase(store: Store, now: string): Promise<{ seeded: boolean }> {
  if (store.migration.from !== 0) return { seeded: false };
  await store.idTags.upsert(
    { idTag: DEMO_ID_TAG, status: 'Accepted', expiryDate: null, parentIdTag: null, description: 'Demo tag created on first start' },
    now,
  );
  return { seeded: true };
}

/**
 * The simulator command the banner and the dashboard print: `--tag` makes the simulator's "tap" present
 * the seeded tag, which a fresh CSMS accepts (the simulator's own default tag is unknown here).
 */
export function simulateCommand(endpoint: string): string {
  return `npx chargewire simulate --endpoint ${endpoint} --protocol ocpp1.6 --tag ${DEMO_ID_TAG}`;
}
