/**
 * The app under test, for `helpers.ts`: supertest drives the Express app in-process,
 * on an ephemeral port of its own, so no test listens on $PORT.
 */
import type { Express } from "express";

import { createApp } from "../src/app.js";
import { closeAll, type Closer } from "../src/extensions.js";
import { createLogger } from "../src/logger.js";
import type { OrderStore } from "../src/store.js";

export interface Served {
  app: Express;
  /** Close what the extensions opened (the store is the caller's). */
  close(): Promise<void>;
}

export function serve(store: OrderStore): Promise<Served> {
  const closers: Closer[] = [];
  const app = createApp({ store, logger: createLogger("silent"), closers });
  return Promise.resolve({ app, close: () => closeAll(closers) });
}
