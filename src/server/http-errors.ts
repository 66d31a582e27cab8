/**
 * HTTP protocol refusals that the closed ErrorCode set has no status for (405, 415). They travel as
 * INVALID_INPUT AppErrors carrying their own status, so the error middleware stays the one place
 * that writes error responses.
 */
import { AppError } from '../core/errors.js';

/** A protocol-level refusal (wrong method, unsupported media type) with its own HTTP status. */
export class ProtocolError extends AppError {
  readonly httpStatus: 405 | 415;
  /** Response headers that belong to the refusal (e.g. `Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(httpStatus: 405 | 415, publicMessage: string, headers: Record<string, string> = {}) {
    super('INVALID_INPUT', publicMessage, { publicMessage });
    this.name = 'ProtocolError';
    this.httpStatus = httpStatus;
    this.headers = headers;
  }

  override get status(): number {
    return this.httpStatus;
  }
}

/** 405 with the methods the path does accept. */
export function methodNotAllowed(allowed: readonly string[]): ProtocolError {
  return new ProtocolError(405, 'This method is not allowed here.', { Allow: allowed.join(', ') });
}

/** 415 for a body in a media type the route does not read. */
export function unsupportedMediaType(expected: string): ProtocolError {
  return new ProtocolError(415, `The request body must be ${expected}.`);
}
