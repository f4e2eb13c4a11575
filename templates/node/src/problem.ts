// RFC 9457 problem details: every error the service sends is one of these.
export const PROBLEM_BASE = "https://problems.acme-payments.example/";

export interface FieldError {
  field: string;
  message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; body?: Record<string, unknown> } = {},
  ) {
    super(detail);
  }
}

export const problems = {
  malformed: (detail: string) => new ProblemError(400, "malformed-request", "Malformed request", detail),
  missingKey: () =>
    new ProblemError(400, "missing-idempotency-key", "Idempotency-Key required",
      "POST requests need an Idempotency-Key header of 1-255 printable ASCII characters"),
  validation: (errors: FieldError[], detail = "The request body is not valid") =>
    new ProblemError(422, "validation-error", "Validation failed", detail, { errors }),
  unauthorized: (detail: string) =>
    new ProblemError(401, "unauthorized", "Unauthorized", detail, {
      headers: { "www-authenticate": 'Bearer realm="acme-payments"' },
    }),
  forbidden: (scope: string) =>
    new ProblemError(403, "forbidden", "Forbidden", `the token lacks the scope ${scope}`),
  notFound: (detail = "No such resource") => new ProblemError(404, "not-found", "Not found", detail),
  unavailable: (detail = "The database is unavailable; retry shortly") =>
    new ProblemError(503, "service-unavailable", "Service unavailable", detail, { headers: { "retry-after": "1" } }),
};

export function problemBody(
  status: number, slug: string, title: string, detail: string, instance: string, requestId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: PROBLEM_BASE + slug, title, status, detail, instance, request_id: requestId, ...extra };
}
