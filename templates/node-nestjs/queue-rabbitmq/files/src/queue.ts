/** The queue in NestJS: starts the order-confirmation job and serves GET /orders/:id/confirmation. */
import { All, Controller, Get, Inject, Module, Param, Req, type DynamicModule } from "@nestjs/common";
import type { Request } from "express";

import { startConfirmations, type Confirmation, type Confirmations } from "./confirmations.js";
import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";

const CONFIRMATIONS = Symbol("Confirmations");

@Controller("orders/:id/confirmation")
export class ConfirmationController {
  constructor(@Inject(CONFIRMATIONS) private readonly confirmations: Confirmations) {}

  @Get()
  get(@Param("id") id: string): Promise<Confirmation> {
    return this.confirmations.of(id);
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
  return {
    module: QueueModule,
    controllers: [ConfirmationController],
    providers: [{ provide: CONFIRMATIONS, useValue: confirmations }],
  };
}
