/** The queue in Fastify: starts the order-confirmation job and serves GET /orders/:id/confirmation. */
import type { FastifyInstance } from "fastify";

import { startConfirmations } from "./confirmations.js";
import { allowOnly } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";

export function install(app: FastifyInstance, context: ExtensionContext): void {
  const confirmations = startConfirmations(context);
  app.get<{ Params: { id: string } }>("/orders/:id/confirmation", (request) => confirmations.of(request.params.id));
  allowOnly(app, "/orders/:id/confirmation", "GET");
}
