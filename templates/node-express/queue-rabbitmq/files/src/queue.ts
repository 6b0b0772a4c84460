/** The queue in Express: starts the order-confirmation job and serves GET /orders/:id/confirmation. */
import { Router, type Express } from "express";

import { startConfirmations } from "./confirmations.js";
import { methodNotAllowed } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";

export function install(app: Express, context: ExtensionContext): void {
  const confirmations = startConfirmations(context);
  const router = Router();
  router
    .route("/orders/:id/confirmation")
    .get(async (req, res) => {
      res.json(await confirmations.of(req.params.id));
    })
    .all(methodNotAllowed("GET"));
  app.use(router);
}
