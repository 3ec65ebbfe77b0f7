/**
 * OCPP 1.6 payload types and the action map, for users who need only this version:
 * `import type { BootNotificationRequest, Ocpp16Actions } from '@chargewire/ocpp-types/ocpp1.6'`.
 */
export type * from './generated/ocpp16.js';
