/** MySQL and MariaDB through mysql2, from a `mysql://user:password@host:port/database` URL. */
import type { Knex } from "knex";

export function config(databaseUrl: string): Knex.Config {
  const url = new URL(databaseUrl);
  return {
    client: "mysql2",
    connection: {
      host: url.hostname,
      port: url.port === "" ? 3306 : Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.replace(/^\//, "")),
      // DATETIME columns hold no zone: write and read them as UTC.
      timezone: "Z",
      charset: "utf8mb4",
    },
    pool: { min: 0, max: 10 },
  };
}
