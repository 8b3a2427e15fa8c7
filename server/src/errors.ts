/**
 * The small set of errors the HTTP layer knows how to render. Each has a status and a stable code;
 * only these reach the client as-is (Koa's `expose` rule), anything else becomes a masked 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown, code = 'bad_request') {
    super(400, code, message, details);
  }
}
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(422, 'validation_failed', message, details);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = '请先登录 (sign-in required)') {
    super(401, 'unauthenticated', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown, code = 'forbidden') {
    super(403, code, message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: unknown) {
    super(413, 'payload_too_large', message, details);
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message: string, code = 'unavailable') {
    super(503, code, message);
  }
}
