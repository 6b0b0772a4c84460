/**
 * SQLite through better-sqlite3: a file next to the app, nothing to run.
 *
 * `sqlite:///./data/shop.db` is a path relative to the working directory,
 * `sqlite:////app/data/shop.db` an absolute one (SQLAlchemy's form, so one URL serves
 * every stack), and `sqlite://` alone a private in-memory database.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

import type { Knex } from "knex";

/** The part of a better-sqlite3 connection that the pool's set-up uses. */
interface SqliteConnection {
  pragma(source: string): unknown;
}

export function filenameOf(databaseUrl: string): string {
  const path = databaseUrl.replace(/^sqlite:\/\/\/?/, "");
  return path === "" || path === ":memory:" ? ":memory:" : path;
}

export function config(databaseUrl: string): Knex.Config {
  const filename = filenameOf(databaseUrl);
  if (filename !== ":memory:") mkdirSync(dirname(filename), { recursive: true });
  return {
    client: "better-sqlite3",
    connection: { filename },
    useNullAsDefault: true,
    // One connection: SQLite has one writer, and better-sqlite3 is synchronous anyway.
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: SqliteConnection) => void) {
        // SQLite ignores foreign keys unless each connection asks; wait for a lock
        // held by another process (make migrate, a second app) instead of failing.
        connection.pragma("foreign_keys = ON");
        // No WAL journal: the cloud deployments keep the file on network filesystems,
        // where WAL's shared memory does not work.
        connection.pragma("busy_timeout = 5000");
        done(null, connection);
      },
    },
  };
}
