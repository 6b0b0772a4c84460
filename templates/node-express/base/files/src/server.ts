/**
 * The entry point: serve the API on $PORT and shut down cleanly on SIGTERM or SIGINT.
 *
 * `make run` runs this file with tsx; the Docker image runs the compiled dist/server.js.
 */
import { createServer } from "node:http";

import { createApp } from "./app.js";
import { environmentOf, loadSettings, readDotEnv } from "./config.js";
import { closeAll, type Closer } from "./extensions.js";
import { createLogger } from "./logger.js";
import { openStore } from "./store.js";

// Requests still running after SIGTERM get this long before the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;

const dotenv = readDotEnv();
const settings = loadSettings(process.env, dotenv);
const logger = createLogger(settings.logLevel);
const store = openStore(settings.databaseUrl);
const closers: Closer[] = [() => store.close()];
const server = createServer(createApp({ store, logger, environment: environmentOf(process.env, dotenv), closers }));

server.once("error", (error) => {
  logger.fatal({ err: error }, "the server could not start");
  process.exit(1);
});

server.listen(settings.port, () => {
  const address = server.address();
  logger.info({ port: typeof address === "object" && address ? address.port : settings.port }, "listening");
});

let stopping = false;

function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: no new connections, finishing running requests");
  setTimeout(() => {
    logger.warn("requests still running after the grace period; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  // Stop accepting; close keep-alive connections as soon as they are idle.
  server.close((error) => {
    closeAll(closers)
      .then(() => {
        logger.info("stopped");
        process.exitCode = error ? 1 : 0;
      })
      .catch((closeError: unknown) => {
        logger.error({ err: closeError }, "closing the database or an extension failed");
        process.exitCode = 1;
      });
  });
  server.closeIdleConnections();
}

process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
