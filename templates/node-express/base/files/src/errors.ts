/** One error envelope for every failure: `{"error": {"code", "message", "details"}}`. */
import { STATUS_CODES } from "node:http";

import type { ErrorRequestHandler, RequestHandler } from "express";

import { ApiError, errorBody } from "./envelope.js";

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
