/**
 * AppModule, the root: the shared context, the add-ons' modules (before OrdersModule, so
 * a route they add, such as /orders/search, is matched before /orders/:id would take it
 * for an id), the orders, health and the OpenAPI document.
 */
import { Module, type DynamicModule } from "@nestjs/common";

import { ContextModule } from "./context.module.js";
import type { Closer, ExtensionContext } from "./extensions.js";
import { HealthController } from "./health.controller.js";
import { OpenApiController } from "./openapi.controller.js";
import { OrdersModule } from "./orders.module.js";

// A Nest module is its decorator; this one is built per app, around its context.
@Module({})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class AppModule {
  static register(
    context: ExtensionContext,
    closers: Closer[],
    document: object,
    extensions: DynamicModule[],
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [ContextModule.register(context, closers, document), ...extensions, OrdersModule],
      controllers: [HealthController, OpenApiController],
    };
  }
}
