/**
 * `make reindex` (`tsx src/reindex.ts`): rebuild the search index from the database.
 *
 * Run it after OpenSearch was unreachable for a while (the changes made meanwhile are
 * missing from the index) or to fill a new, empty index. The exit code is 2 when
 * SEARCH_URL is not set: then searches run on the database, and there is no index.
 */
import { pathToFileURL } from "node:url";

import { environmentOf, loadSettings, parseSettings, readDotEnv } from "./config.js";
import { databaseSearch } from "./database-search.js";
import { createLogger } from "./logger.js";
import { DatabaseSearch, OpenSearchIndex, pagesOf, searchSettings } from "./order-search.js";
import { openStore } from "./store.js";

/** Rebuild the index of SEARCH_INDEX from every order in DATABASE_URL; the exit code. */
export async function main(env = process.env, dotenv = readDotEnv()): Promise<number> {
  const settings = loadSettings(env, dotenv);
  const logger = createLogger(settings.logLevel).child({ process: "reindex" });
  const config = parseSettings(searchSettings, environmentOf(env, dotenv));
  if (!config.SEARCH_URL) {
    logger.error("SEARCH_URL is not set: searches run on the database, with no index");
    return 2;
  }
  const store = openStore(settings.databaseUrl);
  const index = new OpenSearchIndex(
    { ...config, SEARCH_URL: config.SEARCH_URL },
    new DatabaseSearch(databaseSearch(store)),
    logger,
  );
  try {
    const count = await index.rebuild(pagesOf(store));
    logger.info({ count, index: index.index }, `indexed ${count} orders into ${index.index}`);
  } finally {
    await index.close();
    await store.close();
  }
  return 0;
}

// Run directly (not imported by the tests): exit with main()'s code.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
