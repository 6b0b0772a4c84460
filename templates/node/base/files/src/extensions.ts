/**
 * What an extension (the cache, search, the queue publisher...) is given when the app
 * installs it: each one hooks itself in through this context, so the app's own modules
 * never name an extension.
 */
import type { ZodType, z } from "zod";

import { parseSettings, type Environment } from "./config.js";
import type { OrderEvents } from "./events.js";
import type { Logger } from "./logger.js";
import type { ApiPaths } from "./openapi.js";
import type { ReadyCheck } from "./readiness.js";
import type { OrderStore } from "./store.js";

export type Closer = () => Promise<void>;

export interface ExtensionContext {
  /** The variables each extension reads its own settings from (see `settings()`). */
  environment: Environment;
  logger: Logger;
  store: OrderStore;
  events: OrderEvents;
  /** Add `name: check` to `/ready`. */
  readyChecks: Record<string, ReadyCheck>;
  /** Paths and schemas to document in `/openapi.json`. */
  api: ApiPaths;
  /** Release what the extension opened, once the server has stopped (last in, first out). */
  onClose(close: Closer): void;
}

/** An extension's settings from the context's environment; throws naming every invalid one. */
export function settings<T extends ZodType>(context: ExtensionContext, schema: T): z.output<T> {
  return parseSettings(schema, context.environment);
}

/** Run closers last in, first out; every one runs even if an earlier one fails. */
export async function closeAll(closers: readonly Closer[]): Promise<void> {
  const failures: unknown[] = [];
  for (const close of [...closers].reverse()) {
    try {
      await close();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, "closing the app's resources failed");
}
