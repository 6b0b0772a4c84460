/** The queue in Fastify: starts the order-confirmation job and serves GET /orders/:id/confirmation. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";

import { confirmationOut, startConfirmations } from "./confirmations.js";
import { ApiError } from "./envelope.js";
import { allowOnly } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";

export function install(app: FastifyInstance, context: ExtensionContext): void {
  const confirmations = startConfirmations(context);
  app.get<{ Params: { id: string } }>("/orders/:id/confirmation", async (request) => {
    const order = await context.store.get(request.params.id);
    if (order === undefined) {
      throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(request.params.id)}.`);
    }
    const confirmation = await confirmations.find(order.id);
    if (confirmation === undefined) {
      throw new ApiError(404, "not_found", `Order ${order.id} has not been confirmed yet.`);
    }
    return confirmation;
  });
  allowOnly(app, "/orders/:id/confirmation", "GET");

  const { $schema: _ignored, ...schema } = z.toJSONSchema(confirmationOut, { io: "output" });
  context.api.schemas.Confirmation = schema;
  context.api.paths["/orders/{id}/confirmation"] = {
    get: {
      tags: ["orders"],
      summary: "The order's confirmation once the worker has sent it; 404 until then",
      parameters: [
        { name: "id", in: "path", required: true, description: "The order's UUID.", schema: { type: "string" } },
      ],
      responses: {
        "200": {
          description: "The confirmation",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Confirmation" } } },
        },
        "404": {
          description: "No such order, or not confirmed yet",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
        },
      },
    },
  };
}
