/**
 * createApp(): the Express app around an order store.
 *
 * The app is built from what it is given, so importing this module has no side effects
 * and each test builds an app of its own; `server.ts` gives it the real store and logger.
 */
import { readFileSync } from "node:fs";

import express, { type Express } from "express";
import { pinoHttp } from "pino-http";

import { errorHandler, methodNotAllowed, notFound } from "./errors.js";
import { healthRouter, type ReadyCheck } from "./health.js";
import type { Logger } from "./logger.js";
import { openApiDocument } from "./openapi.js";
import { ordersRouter } from "./orders.js";
import type { OrderStore } from "./store.js";

export interface AppOptions {
  store: OrderStore;
  logger: Logger;
}

/** The version in package.json, read from src/ and dist/ alike. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

export function createApp({ store, logger }: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // Responses change with every write; no automatic ETags on them.
  app.set("etag", false);

  // One log line per request, with its method, path, status and duration.
  // Only what identifies the request: headers may carry credentials.
  app.use(
    pinoHttp({
      logger,
      quietReqLogger: true,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  // Objects and arrays only; anything else that claims to be JSON is a 400.
  app.use(express.json({ limit: "1mb", strict: true }));

  const checks: Record<string, ReadyCheck> = { database: () => store.ping() };
  app.use(healthRouter(checks));

  const document = openApiDocument(packageVersion());
  app
    .route("/openapi.json")
    .get((_req, res) => {
      res.json(document);
    })
    .all(methodNotAllowed("GET"));

  app.use(ordersRouter(store));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
