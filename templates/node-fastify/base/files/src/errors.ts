/** One error envelope for every failure: `{"error": {"code", "message", "details"}}`. */
import { METHODS, STATUS_CODES } from "node:http";

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";

import { ApiError, errorBody } from "./envelope.js";

/**
 * Let Fastify route every method Node's HTTP parser accepts (it routes seven by default),
 * so that, as the contract says, a known path answers any method it does not take with a
 * 405, never a 404. CONNECT never reaches the router (Node hands it to its own event).
 */
export function routeEveryMethod(app: FastifyInstance): void {
  for (const method of METHODS) {
    if (method !== "CONNECT" && !app.supportedMethods.includes(method)) app.addHttpMethod(method);
  }
}

/**
 * Answer 405 with `Allow` for every method that `url` does not take. Fastify adds a HEAD
 * route for each GET route itself, so HEAD is allowed wherever GET is.
 */
export function allowOnly(app: FastifyInstance, url: string, ...methods: HTTPMethods[]): void {
  const allow = methods.includes("GET") ? [...methods, "HEAD"] : methods;
  const allowed = new Set<string>(allow);
  // Fastify types its methods as strings; each is one it routes (routeEveryMethod).
  const others = app.supportedMethods.filter((method) => !allowed.has(method)) as HTTPMethods[];
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
  // A body under a Content-Type with no parser (only JSON has one), or a body with none.
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    await reply
      .code(415)
      .send(errorBody("unsupported_media_type", "Send the body as JSON, with Content-Type: application/json."));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Other refusals of the request itself: too large (413), ...
    const phrase = STATUS_CODES[status] ?? "Bad Request";
    await reply.code(status).send(errorBody(phrase.toLowerCase().replaceAll(" ", "_"), error.message));
    return;
  }
  request.log.error({ err: error }, "unhandled error");
  await reply.code(500).send(errorBody("internal_error", "Something went wrong on our side."));
}
