/** `make migrate`: bring the configured database's schema up to date, then exit. */
import { loadSettings, readDotEnv } from "./config.js";
import { createLogger } from "./logger.js";
import { openStore } from "./store.js";

const settings = loadSettings(process.env, readDotEnv());
const logger = createLogger(settings.logLevel);
const store = openStore(settings.databaseUrl);

try {
  await store.migrate();
  logger.info({ database: store.kind }, "the database schema is up to date");
} catch (error) {
  logger.fatal({ err: error }, "migrating the database failed");
  process.exitCode = 1;
} finally {
  await store.close();
}
