/**
 * OrdersModule: the /orders routes over OrdersService (the store and events come from
 * ContextModule), and the JSON body parser on the two routes that take a body.
 */
import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from "@nestjs/common";
import type { RequestHandler } from "express";

import { bodyParserError } from "./errors.js";
import { jsonBody } from "./json-body.js";
import { OrdersController } from "./orders.controller.js";
import { OrdersService } from "./orders.service.js";

/** The shared JSON parser, its refusals handed on as ApiErrors. */
const parseJsonBody: RequestHandler = (req, res, next) => {
  jsonBody(req, res, (error?: unknown) => {
    next(error === undefined ? undefined : bodyParserError(error as Error));
  });
};

@Module({ controllers: [OrdersController], providers: [OrdersService] })
export class OrdersModule implements NestModule {
  /** Only these routes read a JSON body; every other one (a receipt's PUT) gets its bytes unread. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(parseJsonBody)
      .forRoutes({ path: "orders", method: RequestMethod.POST }, { path: "orders/:id", method: RequestMethod.PATCH });
  }
}
