/**
 * The worker process: `make worker` (`tsx src/worker.ts`; the image runs `dist/worker.js`).
 *
 * It consumes the order-confirmation queue from RabbitMQ and runs the job for each message
 * (see confirmations.ts). Run as many as the backlog needs: RabbitMQ shares the messages
 * out. SIGTERM or Ctrl-C lets the message in hand finish, then disconnects; the messages
 * it had been given but not started go back to the queue.
 */
import { pathToFileURL } from "node:url";

import { environmentOf, loadSettings, parseSettings, readDotEnv } from "./config.js";
import { confirmationJob } from "./confirmations.js";
import { createLogger } from "./logger.js";
import { Consumer, queueSettings } from "./messaging.js";
import { openStore } from "./store.js";

/** Run the worker until SIGTERM or SIGINT; the exit code (2: no broker configured). */
export async function main(env = process.env, dotenv = readDotEnv()): Promise<number> {
  const settings = loadSettings(env, dotenv);
  const logger = createLogger(settings.logLevel).child({ process: "worker" });
  const { AMQP_URL: amqpUrl } = parseSettings(queueSettings, environmentOf(env, dotenv));
  if (amqpUrl === undefined) {
    logger.error(
      "AMQP_URL is not set. Without a broker the app runs its jobs itself and needs no worker; " +
        "set AMQP_URL (see .env.example) to run them in this process instead.",
    );
    return 2;
  }
  const store = openStore(settings.databaseUrl);
  const consumer = new Consumer(amqpUrl, confirmationJob(store, logger), logger);
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "stopping: finishing the message in hand");
    consumer.stop();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  try {
    await consumer.run();
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    await store.close();
  }
  return 0;
}

// Run directly (not imported by the tests): exit with main()'s code.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
