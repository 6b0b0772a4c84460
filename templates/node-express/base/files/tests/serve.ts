/**
 * The app under test, for `helpers.ts`: supertest drives the Express app in-process,
 * on an ephemeral port of its own, so no test listens on $PORT.
 */
import type { Express } from "express";

import { createApp } from "../src/app.js";
import { createLogger } from "../src/logger.js";
import type { OrderStore } from "../src/store.js";

export interface Served {
  app: Express;
  close(): Promise<void>;
}

export function serve(store: OrderStore): Promise<Served> {
  const app = createApp({ store, logger: createLogger("silent") });
  return Promise.resolve({ app, close: () => Promise.resolve() });
}
