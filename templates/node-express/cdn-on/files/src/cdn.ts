/** Express's glue for the CDN caching policy (`express-caching.ts`). */
import type { Express } from "express";

import { addValidators, noStoreUnlessGet } from "./express-caching.js";
import type { ExtensionContext } from "./extensions.js";
import { httpCaching } from "./http-caching.js";

export function install(app: Express, context: ExtensionContext): void {
  app.use(noStoreUnlessGet);
  addValidators(app, httpCaching(context));
}
