/** One error envelope for every failure: `{"error": {"code", "message", "details"}}`. */
import { STATUS_CODES } from "node:http";

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";

import { ApiError, errorBody } from "./envelope.js";

// The methods a 405 is answered for; any other method on a known path is a 404.
const METHODS: readonly HTTPMethods[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * Answer 405 with `Allow` for every method that `url` does not take. Fastify adds a HEAD
 * route for each GET route itself, so HEAD is allowed wherever GET is.
 */
export function allowOnly(app: FastifyInstance, url: string, ...methods: HTTPMethods[]): void {
  const allow = methods.includes("GET") ? [...methods, "HEAD"] : methods;
  const others = METHODS.filter((method) => !allow.includes(method));
  app.route({
    method: others,
    url,
    handler: async (request, reply) => {
      await reply
        .code(405)
        .header("Allow", allow.join(", "))
        .send(errorBody("method_not_allowed", `${request.method} is not allowed here; use ${allow.join(", ")}.`));
    },
  });
}

/** Nothing matched the path. */
export async function notFound(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const path = request.url.split("?", 1)[0] ?? request.url;
  await reply.code(404).send(errorBody("not_found", `No route matches ${path}.`));
}

/** Turn every failure into the envelope; no internals leak, the log keeps the stack. */
export async function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (error instanceof ApiError) {
    await reply.code(error.status).send(errorBody(error.code, error.message, error.details));
    return;
  }
  // Fastify's JSON parser: a body that does not parse, or none at all, under a JSON content type.
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    await reply.code(400).send(errorBody("malformed_json", "The request body is not valid JSON."));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Other refusals of the request itself: too large (413), unsupported media type (415), ...
    const phrase = STATUS_CODES[status] ?? "Bad Request";
    await reply.code(status).send(errorBody(phrase.toLowerCase().replaceAll(" ", "_"), error.message));
    return;
  }
  request.log.error({ err: error }, "unhandled error");
  await reply.code(500).send(errorBody("internal_error", "Something went wrong on our side."));
}
