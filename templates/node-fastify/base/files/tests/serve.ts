/**
 * The app under test, for `helpers.ts`: supertest drives the Fastify app's own HTTP
 * server in-process, on an ephemeral port of its own, so no test listens on $PORT.
 */
import type { Server } from "node:http";

import { buildApp } from "../src/app.js";
import { createLogger } from "../src/logger.js";
import type { OrderStore } from "../src/store.js";

export interface Served {
  app: Server;
  /** Close the app and what the extensions opened (the store is the caller's). */
  close(): Promise<void>;
}

export async function serve(store: OrderStore): Promise<Served> {
  const app = buildApp({ store, logger: createLogger("silent") });
  // Plugins and routes are loaded, and the server exists, only once the app is ready.
  await app.ready();
  return { app: app.server, close: () => app.close() };
}
