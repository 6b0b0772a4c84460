/** PostgreSQL through node-postgres (`pg`), which reads the URL as it is. */
import type { Knex } from "knex";

export function config(databaseUrl: string): Knex.Config {
  return {
    client: "pg",
    connection: { connectionString: databaseUrl },
    pool: { min: 0, max: 10 },
  };
}
