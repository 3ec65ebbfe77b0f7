/** What was wrong with a site, a session or a time-of-use schedule. */
export type SmartChargingErrorCode =
  | 'InvalidSite'
  | 'InvalidSession'
  | 'DuplicateId'
  | 'InvalidTimeZone'
  | 'InvalidTimeOfUse'
  | 'UnknownSession';

/** A configuration or input error, with a code a caller can branch on. */
export class SmartChargingError extends Error {
  override readonly name = 'SmartChargingError';

  constructor(
    readonly code: SmartChargingErrorCode,
    message: string,
  ) {
    super(message);
  }
}
