/**
 * The entry point: serve the API on $PORT and shut down cleanly on SIGTERM or SIGINT.
 *
 * `make run` runs this file with tsx; the Docker image runs the compiled dist/server.js.
 */
import { buildApp } from "./app.js";
import { environmentOf, loadSettings, readDotEnv } from "./config.js";
import { createLogger } from "./logger.js";
import { openStore } from "./store.js";

// Requests still running after SIGTERM get this long before the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;

const dotenv = readDotEnv();
const settings = loadSettings(process.env, dotenv);
const logger = createLogger(settings.logLevel);
const store = openStore(settings.databaseUrl);
const app = buildApp({ store, logger, environment: environmentOf(process.env, dotenv) });

try {
  // Every interface, as a container needs; Fastify alone would listen on localhost only.
  await app.listen({ port: settings.port, host: "0.0.0.0" });
} catch (error) {
  logger.fatal({ err: error }, "the server could not start");
  process.exit(1);
}
const address = app.server.address();
logger.info({ port: typeof address === "object" && address ? address.port : settings.port }, "listening");

let stopping = false;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: no new connections, finishing running requests");
  setTimeout(() => {
    logger.warn("requests still running after the grace period; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  try {
    // Stops accepting, closes idle keep-alive connections, waits for running requests,
    // then closes what the extensions opened (the app's onClose hooks).
    await app.close();
    await store.close();
    logger.info("stopped");
    process.exitCode = 0;
  } catch (error) {
    logger.error({ err: error }, "closing the database or an extension failed");
    process.exitCode = 1;
  }
}

process.once("SIGTERM", (signal) => void shutdown(signal));
process.once("SIGINT", (signal) => void shutdown(signal));
