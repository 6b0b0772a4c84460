/**
 * NestJS's glue for the order cache (`order-cache.ts`): a middleware on `GET /orders/:id`
 * answers from it when it can (`X-Cache: HIT`), and stores the 200 answers it had to
 * compute (`X-Cache: MISS`). Invalidation needs no glue: the cache hears the order events.
 */
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from "@nestjs/common";
import type { NextFunction, Request, Response } from "express";

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
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const id = ORDER_PATH.exec(req.path)?.[1];
    const key = id === undefined ? undefined : cache.keyOf(decoded(id));
    if (key === undefined) {
      next();
      return;
    }
    const hit = await cache.read(key);
    if (hit !== undefined) {
      res.status(200).type("application/json").set("X-Cache", "HIT").send(hit);
      return;
    }
    res.set("X-Cache", "MISS");
    // Nest answers an object with res.json(), which hands res.send() the JSON text.
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (res.statusCode === 200 && typeof body === "string") void cache.write(key, body);
      return send(body);
    };
    next();
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
