/** One error envelope for every failure: `{"error": {"code", "message", "details"}}`. */
import { STATUS_CODES } from "node:http";

import type { ErrorRequestHandler, RequestHandler } from "express";
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

/** The answer for a path that exists, asked with a method it does not take. */
export function methodNotAllowed(...methods: string[]): RequestHandler {
  const allow = methods.includes("GET") ? [...methods, "HEAD"] : methods;
  return (req, res) => {
    res.set("Allow", allow.join(", "));
    res
      .status(405)
      .json(errorBody("method_not_allowed", `${req.method} is not allowed here; use ${allow.join(", ")}.`));
  };
}

/** The last route: nothing matched the path. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody("not_found", `No route matches ${req.path}.`));
};

/** Client errors from body parsing carry their HTTP status and a `type`. */
interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Turn every failure into the envelope; no internals leak, the log keeps the stack. */
export const errorHandler: ErrorRequestHandler = (error: HttpError, req, res, _next) => {
  if (error instanceof ApiError) {
    res.status(error.status).json(errorBody(error.code, error.message, error.details));
    return;
  }
  if (error.type === "entity.parse.failed") {
    res.status(400).json(errorBody("malformed_json", "The request body is not valid JSON."));
    return;
  }
  const status = error.status ?? error.statusCode ?? 500;
  if (status >= 400 && status < 500 && error.expose === true) {
    // Other body-parser refusals: too large (413), unsupported charset (415), ...
    const phrase = STATUS_CODES[status] ?? "Bad Request";
    res.status(status).json(errorBody(phrase.toLowerCase().replaceAll(" ", "_"), error.message));
    return;
  }
  req.log.error({ err: error }, "unhandled error");
  res.status(500).json(errorBody("internal_error", "Something went wrong on our side."));
};
