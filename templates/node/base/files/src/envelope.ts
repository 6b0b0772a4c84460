/**
 * The error envelope, `{"error": {"code", "message", "details"}}`, and the errors the
 * routes raise; each framework's `errors.ts` turns them (and its own failures) into it.
 */
import type { z } from "zod";

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] | null };
}

/** An expected failure that the client can act on, such as an unknown order. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorBody(code: string, message: string, details: ErrorDetail[] | null = null) {
  return { error: { code, message, details } } satisfies ErrorBody;
}

/** The parsed value, or a 422 ApiError listing every problem by its dotted field path. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    // ["items", 0, "quantity"] -> "items.0.quantity"; the body itself -> "body".
    field: issue.path.length > 0 ? issue.path.map(String).join(".") : "body",
    message: issue.message,
  }));
  throw new ApiError(422, "validation_error", "The request failed validation; see details.", details);
}
