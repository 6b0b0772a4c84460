/**
 * NestJS's glue for the order cache: the middleware of `cached-order.ts` on
 * `GET /orders/:id`, as a Nest module.
 */
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from "@nestjs/common";
import type { NextFunction, Request, Response } from "express";

import { answerFromCache } from "./cached-order.js";
import type { ExtensionContext } from "./extensions.js";
import { openOrderCache, type OrderCache } from "./order-cache.js";

const ORDER_CACHE = Symbol("OrderCache");

/** `/orders/<id>` and nothing below it (the middleware's route also matches by prefix). */
const ORDER_PATH = /^\/orders\/([^/]+)\/?$/;

/** The path segment as the route sees it; one that does not decode names no order. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function cached(cache: OrderCache) {
  return (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const id = ORDER_PATH.exec(req.path)?.[1];
    return answerFromCache(cache, id === undefined ? undefined : decoded(id), res, next);
  };
}

@Module({})
export class OrderCacheModule implements NestModule {
  constructor(@Inject(ORDER_CACHE) private readonly cache: OrderCache) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cached(this.cache)).forRoutes({ path: "orders/:id", method: RequestMethod.GET });
  }
}

export function install(context: ExtensionContext): DynamicModule {
  return { module: OrderCacheModule, providers: [{ provide: ORDER_CACHE, useValue: openOrderCache(context) }] };
}
