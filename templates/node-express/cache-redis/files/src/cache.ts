/**
 * Express's glue for the order cache (`order-cache.ts`): answers `GET /orders/:id` from
 * it when it can (`X-Cache: HIT`), and stores the 200 answers it had to compute
 * (`X-Cache: MISS`). Invalidation needs no glue: the cache hears the order events.
 */
import type { Express, NextFunction, Request, Response } from "express";

import type { ExtensionContext } from "./extensions.js";
import { openOrderCache } from "./order-cache.js";

export function install(app: Express, context: ExtensionContext): void {
  const cache = openOrderCache(context);

  app.get("/orders/:id", async (req: Request<{ id: string }>, res: Response, next: NextFunction) => {
    const key = cache.keyOf(req.params.id);
    if (key === undefined) {
      next();
      return;
    }
    const cached = await cache.read(key);
    if (cached !== undefined) {
      res.status(200).type("application/json").set("X-Cache", "HIT").send(cached);
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
  });
}
