/**
 * Platform API errors: a status and the `{id, message}` body real clients key
 * on. Handlers throw these; the HTTP layer turns them into responses, so a
 * handler never builds an error body by hand.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    /** Extra body fields the real API sends with some errors (e.g. `url`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): Record<string, unknown> {
    return { id: this.id, message: this.message, ...this.extra };
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, 'bad_request', message);

export const unauthorized = (): ApiError =>
  new ApiError(401, 'unauthorized', 'Invalid credentials provided.');

export const forbidden = (message: string): ApiError => new ApiError(403, 'forbidden', message);

/** `resource` names what was not found, as the real API adds to its 404s (`"resource": "app"`). */
export const notFound = (message: string, resource?: string): ApiError =>
  new ApiError(404, 'not_found', message, resource === undefined ? {} : { resource });

export const endpointNotFound = (): ApiError =>
  notFound(
    'The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), ' +
      'and did you specify your intended version with the `Accept` header?',
  );

export const notAcceptable = (): ApiError =>
  new ApiError(
    406,
    'not_acceptable',
    'The requested API version is not supported. Please specify a version with the Accept header, ' +
      'e.g. `Accept: application/vnd.heroku+json; version=3`.',
  );

export const conflict = (message: string): ApiError => new ApiError(409, 'conflict', message);

export const preconditionFailed = (): ApiError =>
  new ApiError(
    412,
    'precondition_failed',
    'The resource has changed since the ETag given in If-Match; fetch it again and retry.',
  );

export const payloadTooLarge = (limit: number): ApiError =>
  new ApiError(413, 'payload_too_large', `Request bodies are limited to ${limit} bytes.`);

export const rangeNotSatisfiable = (message: string): ApiError =>
  new ApiError(416, 'requested_range_not_satisfiable', message);

export const invalidParams = (message: string): ApiError => new ApiError(422, 'invalid_params', message);

export const rateLimited = (): ApiError =>
  new ApiError(
    429,
    'rate_limit',
    'Your account reached the API rate limit. Please wait a few minutes before making new requests.',
    { url: 'https://devcenter.heroku.com/articles/platform-api-reference#rate-limits' },
  );

export const internalError = (): ApiError =>
  new ApiError(500, 'internal_server_error', 'Internal server error.');

export const serviceUnavailable = (): ApiError =>
  new ApiError(503, 'service_unavailable', 'API is temporarily unavailable. Please try again later.');
