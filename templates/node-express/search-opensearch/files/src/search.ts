/** The order search in Express: GET /orders/search over the backend of order-search.ts. */
import { Router, type Express } from "express";

import { validate } from "./envelope.js";
import { methodNotAllowed } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { SEARCH_PATH, searchQuery, startSearch } from "./order-search.js";

/** Installed before the orders routes, so `/orders/search` is never taken for an order id. */
export function install(app: Express, context: ExtensionContext): void {
  const backend = startSearch(context);
  const router = Router();
  router
    .route("/orders/search")
    .get(async (req, res) => {
      const { q, limit, offset } = validate(searchQuery, req.query);
      res.json(await backend.search(q, limit, offset));
    })
    .all(methodNotAllowed("GET"));
  app.use(router);
  context.api.paths["/orders/search"] = SEARCH_PATH;
}
