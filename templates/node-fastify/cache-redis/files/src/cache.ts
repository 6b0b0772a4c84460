/**
 * Fastify's glue for the order cache (`order-cache.ts`): answers `GET /orders/:id` from
 * it when it can (`X-Cache: HIT`), and stores the 200 answers it had to compute
 * (`X-Cache: MISS`). Invalidation needs no glue: the cache hears the order events.
 *
 * Two hooks: onRequest answers a hit before the route runs; onSend sees the JSON text
 * Fastify serialised from the route's answer and keeps it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";

import type { ExtensionContext } from "./extensions.js";
import { openOrderCache } from "./order-cache.js";

const ORDER_ROUTE = "/orders/:id";

export function install(app: FastifyInstance, context: ExtensionContext): void {
  const cache = openOrderCache(context);
  // The key of each request that missed, for onSend to store its answer under.
  const missed = new WeakMap<FastifyRequest, string>();

  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET" || request.routeOptions.url !== ORDER_ROUTE) return;
    const key = cache.keyOf((request.params as { id: string }).id);
    if (key === undefined) return;
    const cached = await cache.read(key);
    if (cached !== undefined) {
      await reply.code(200).type("application/json; charset=utf-8").header("X-Cache", "HIT").send(cached);
      return;
    }
    reply.header("X-Cache", "MISS");
    missed.set(request, key);
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const key = missed.get(request);
    if (key !== undefined && reply.statusCode === 200 && typeof payload === "string") await cache.write(key, payload);
    return payload;
  });
}
