/**
 * OCPP 2.1 payload types and the action map, for users who need only this version:
 * `import type { BootNotificationRequest, Ocpp21Actions } from '@chargewire/ocpp-types/ocpp2.1'`.
 */
export type * from './generated/ocpp21.js';
