/**
 * One error type and one error body for every framework (C03, C23): `{"error":{"code","message","requestId"}}`,
 * plus `fields` for validation errors. Messages are written for clients; internals never leave the server.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldError[];
  readonly headers?: Record<string, string>;
  /** Extra top-level members of the body (the WAF challenge). */
  readonly extra?: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { fields?: FieldError[]; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers;
    this.extra = options.extra;
  }
}

export function errorBody(
  code: string,
  message: string,
  requestId: string,
  fields?: FieldError[],
): { error: { code: string; message: string; requestId: string; fields?: FieldError[] } } {
  return { error: fields ? { code, message, requestId, fields } : { code, message, requestId } };
}
