/**
 * The stop reasons the CSMS records when it ends a transaction itself (`closedBy: 'csms'`). The charger's
 * own reasons (1.6 §7.42 Reason, 2.0.1 ReasonEnumType) are capitalised enum values, so these lower-case
 * phrases are never mistaken for something a charger reported.
 */
export const STOP_REASONS = {
  /** BootNotification: a transaction the charger did not stop before it rebooted. */
  rebooted: 'charger rebooted',
  /** StatusNotification Available on the transaction's connector. */
  connectorAvailable: 'connector available',
  /** A newer transaction started on the same connector. */
  superseded: (newerId: number): string => `superseded by transaction ${newerId}`,
  /** StartTransaction answered with a status other than Accepted. */
  refused: (status: string): string => `refused (${status})`,
  /** Force-close over REST without a reason given. */
  operator: 'closed by operator',
} as const;
