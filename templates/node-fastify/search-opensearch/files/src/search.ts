/** The order search in Fastify: GET /orders/search over the backend of order-search.ts. */
import type { FastifyInstance } from "fastify";

import { validate } from "./envelope.js";
import { allowOnly } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { SEARCH_PATH, searchQuery, startSearch } from "./order-search.js";

/**
 * A static path: Fastify's router matches it before the parametric `/orders/:id`, so
 * `/orders/search` is never taken for an order id.
 */
export function install(app: FastifyInstance, context: ExtensionContext): void {
  const backend = startSearch(context);
  app.get("/orders/search", async (request) => {
    const { q, limit, offset } = validate(searchQuery, request.query);
    return backend.search(q, limit, offset);
  });
  allowOnly(app, "/orders/search", "GET");
  context.api.paths["/orders/search"] = SEARCH_PATH;
}
