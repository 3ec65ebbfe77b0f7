/** One problem with one input field. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the REST layer answers as `{ error, message, details? }` with the given status. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details?: Record<string, unknown> | FieldProblem[],
  ) {
    super(message);
  }

  toJSON(): { error: string; message: string; details?: Record<string, unknown> | FieldProblem[] } {
    return this.details === undefined
      ? { error: this.error, message: this.message }
      : { error: this.error, message: this.message, details: this.details };
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'NotFound', `${what} not found`);
