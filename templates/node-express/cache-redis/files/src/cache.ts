/** Express's glue for the order cache: its middleware on `GET /orders/:id` (`cached-order.ts`). */
import type { Express, Request } from "express";

import { answerFromCache } from "./cached-order.js";
import type { ExtensionContext } from "./extensions.js";
import { openOrderCache } from "./order-cache.js";

export function install(app: Express, context: ExtensionContext): void {
  const cache = openOrderCache(context);
  app.get("/orders/:id", (req: Request<{ id: string }>, res, next) =>
    answerFromCache(cache, req.params.id, res, next),
  );
}
