/** The queue in NestJS: starts the order-confirmation job and serves GET /orders/:id/confirmation. */
import { All, Controller, Get, Inject, Module, Param, Req, type DynamicModule } from "@nestjs/common";
import type { Request } from "express";
import { z } from "zod";

import { confirmationOut, startConfirmations, type Confirmation, type Confirmations } from "./confirmations.js";
import { ApiError } from "./envelope.js";
import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import type { OrderStore } from "./store.js";
import { ORDER_STORE } from "./tokens.js";

const CONFIRMATIONS = Symbol("Confirmations");

@Controller("orders/:id/confirmation")
export class ConfirmationController {
  constructor(
    @Inject(ORDER_STORE) private readonly store: OrderStore,
    @Inject(CONFIRMATIONS) private readonly confirmations: Confirmations,
  ) {}

  @Get()
  async get(@Param("id") id: string): Promise<Confirmation> {
    const order = await this.store.get(id);
    if (order === undefined) {
      throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
    }
    const confirmation = await this.confirmations.find(order.id);
    if (confirmation === undefined) {
      throw new ApiError(404, "not_found", `Order ${order.id} has not been confirmed yet.`);
    }
    return confirmation;
  }

  @All()
  other(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET");
  }
}

// A Nest module is its decorator: the class itself holds nothing.
@Module({})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class QueueModule {}

export function install(context: ExtensionContext): DynamicModule {
  const confirmations = startConfirmations(context);
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
  return {
    module: QueueModule,
    controllers: [ConfirmationController],
    providers: [{ provide: CONFIRMATIONS, useValue: confirmations }],
  };
}
