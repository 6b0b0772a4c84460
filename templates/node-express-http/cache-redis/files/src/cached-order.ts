/**
 * The order cache (`order-cache.ts`) on Express's request and response: answers
 * `GET /orders/:id` from the cache when it can (`X-Cache: HIT`), and stores the 200
 * answers it had to compute (`X-Cache: MISS`). Invalidation needs no glue: the cache
 * hears the order events.
 */
import type { NextFunction, Response } from "express";

import type { OrderCache } from "./order-cache.js";

/** Answer a read of order `id` from `cache`, or let the orders route answer and keep its 200. */
export async function answerFromCache(
  cache: OrderCache,
  id: string | undefined,
  res: Response,
  next: NextFunction,
): Promise<void> {
  const key = id === undefined ? undefined : cache.keyOf(id);
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
  // The orders route answers with res.json(), which hands res.send() the JSON text.
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (res.statusCode === 200 && typeof body === "string") void cache.write(key, body);
    return send(body);
  };
  next();
}
