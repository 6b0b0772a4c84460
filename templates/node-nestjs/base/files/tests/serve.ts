/**
 * The app under test, for `helpers.ts`: supertest drives the Nest app's own HTTP server
 * in-process, on an ephemeral port of its own, so no test listens on $PORT.
 */
import type { Server } from "node:http";

import { createApp } from "../src/app.js";
import { createLogger } from "../src/logger.js";
import type { OrderStore } from "../src/store.js";

export interface Served {
  app: Server;
  /** Close the app and what the extensions opened (the store is the caller's). */
  close(): Promise<void>;
}

export async function serve(store: OrderStore): Promise<Served> {
  const app = await createApp({ store, logger: createLogger("silent") });
  return { app: app.getHttpServer(), close: () => app.close() };
}
