/**
 * The entry point: serve the API on $PORT and shut down cleanly on SIGTERM or SIGINT.
 *
 * `make run` runs this file with tsx; the Docker image runs the compiled dist/server.js.
 */
import { createApp } from "./app.js";
import { environmentOf, loadSettings, readDotEnv } from "./config.js";
import { createLogger } from "./logger.js";
import { openStore } from "./store.js";

// Requests still running after SIGTERM get this long before the process exits anyway.
const SHUTDOWN_GRACE_MS = 10_000;
const SIGNALS = ["SIGTERM", "SIGINT"] as const;

const dotenv = readDotEnv();
const settings = loadSettings(process.env, dotenv);
const logger = createLogger(settings.logLevel);
const store = openStore(settings.databaseUrl);

let app: Awaited<ReturnType<typeof createApp>>;
try {
  // The store is closed last, after what the extensions opened.
  app = await createApp({ store, logger, environment: environmentOf(process.env, dotenv), closers: [() => store.close()] });
  // On a signal Nest stops accepting, waits for running requests, runs the shutdown hooks
  // (ContextModule closes everything, last in, first out) and exits: 0, or 1 if closing
  // failed. useProcessExit: exit, instead of raising the signal again once done.
  app.enableShutdownHooks([...SIGNALS], { useProcessExit: true });
  // Every interface, as a container needs.
  await app.listen(settings.port, "0.0.0.0");
} catch (error) {
  logger.fatal({ err: error }, "the server could not start");
  process.exit(1);
}
const address = app.getHttpServer().address();
logger.info({ port: typeof address === "object" && address ? address.port : settings.port }, "listening");

for (const signal of SIGNALS) {
  process.once(signal, () => {
    logger.info({ signal }, "shutting down: no new connections, finishing running requests");
    setTimeout(() => {
      logger.warn("requests still running after the grace period; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  });
}
