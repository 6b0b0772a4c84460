/**
 * One error envelope for every failure: `{"error": {"code", "message", "details"}}`.
 *
 * `EnvelopeFilter` is the app's only exception filter (global): it sees what the routes
 * throw, what the JSON body parser refuses (`bodyParserError`), and Nest's own 404 for a
 * path no route takes.
 */
import { STATUS_CODES } from "node:http";

import { Catch, HttpException, NotFoundException, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";
import type { Request, Response } from "express";

import { ApiError, errorBody } from "./envelope.js";

/** A path that exists, asked with a method it does not take: a 405 with `Allow`. */
export class MethodNotAllowedError extends ApiError {
  readonly allow: readonly string[];

  constructor(method: string, ...methods: string[]) {
    const allow = methods.includes("GET") ? [...methods, "HEAD"] : methods;
    super(405, "method_not_allowed", `${method} is not allowed here; use ${allow.join(", ")}.`);
    this.allow = allow;
  }
}

/** Client errors from body parsing carry their HTTP status and a `type`. */
interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/**
 * What the JSON body parser (json-body.ts) refused, as an ApiError for the filter. Nest's
 * own error handler would turn a body that does not parse into a plain
 * BadRequestException, and pass one too large on as it is, losing which it was.
 */
export function bodyParserError(error: HttpError): unknown {
  if (error instanceof ApiError) return error;
  if (error.type === "entity.parse.failed") {
    return new ApiError(400, "malformed_json", "The request body is not valid JSON.");
  }
  const status = error.status ?? error.statusCode ?? 500;
  // Other refusals: too large (413), unsupported charset (415), ...
  return status >= 400 && status < 500 && error.expose === true ? new ApiError(status, codeOf(status), error.message) : error;
}

@Catch()
export class EnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (exception instanceof MethodNotAllowedError) response.set("Allow", exception.allow.join(", "));
    const [status, body] = this.answer(exception, request);
    response.status(status).json(body);
  }

  private answer(exception: unknown, request: Request): [number, ReturnType<typeof errorBody>] {
    if (exception instanceof ApiError) {
      return [exception.status, errorBody(exception.code, exception.message, exception.details)];
    }
    // The routes throw ApiError for their own 404s; this one is Nest's: no route took the path.
    if (exception instanceof NotFoundException) {
      return [404, errorBody("not_found", `No route matches ${request.path}.`)];
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return [status, errorBody(codeOf(status), exception.message)];
    }
    // pino-http's request logger carries the request id; the stack stays in the log.
    request.log.error({ err: exception }, "unhandled error");
    return [500, errorBody("internal_error", "Something went wrong on our side.")];
  }
}

/** `payload_too_large` for 413, and so on: the status's phrase. */
function codeOf(status: number): string {
  return (STATUS_CODES[status] ?? "Bad Request").toLowerCase().replaceAll(" ", "_");
}
