/** Exit codes scripts can rely on. */
export const EXIT_OK = 0;
/** Failures found: fuzz deviations, check failures, validation violations, bench errors, unreachable endpoint. */
export const EXIT_FAILURES = 1;
/** Usage error: unknown command or option, missing or invalid argument. */
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURES | typeof EXIT_USAGE;

/** A usage error found after commander parsed the arguments (e.g. an option combination). Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The endpoint could not be used: unreachable (ECONNREFUSED, DNS, timeout) or the WebSocket upgrade was
 * refused with an HTTP status. The message is one line meant for a terminal. Exit code 1.
 */
export class EndpointError extends Error {
  override readonly name = 'EndpointError';
  /** HTTP status of a refused upgrade, when there was one. */
  readonly status: number | undefined;
  /** True when the upgrade succeeded but the server selected none of the offered subprotocols. */
  readonly noSubprotocol: boolean;
  constructor(message: string, status?: number, noSubprotocol = false) {
    super(message);
    this.status = status;
    this.noSubprotocol = noSubprotocol;
  }
}
