/**
 * OCPP 2.0.1 payload types and the action map, for users who need only this version:
 * `import type { BootNotificationRequest, Ocpp201Actions } from '@chargewire/ocpp-types/ocpp2.0.1'`.
 */
export type * from './generated/ocpp201.js';
