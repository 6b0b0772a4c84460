/**
 * MySQL and MariaDB through mysql2, from a `mysql://user:password@host:port/database` URL.
 *
 * Any `ssl_*` query option (the cloud deployments' URLs carry `ssl_check_hostname=false`)
 * turns TLS on, encrypting without verifying the server's certificate, which comes from
 * the cloud provider's own CA: the same as PyMySQL and libpq's `sslmode=require`.
 * `ssl_ca=<file>` verifies it against that CA instead.
 */
import { readFileSync } from "node:fs";

import type { Knex } from "knex";

export type Ssl = undefined | { rejectUnauthorized: boolean; ca?: string };

export function sslFor(params: URLSearchParams): Ssl {
  const ca = params.get("ssl_ca");
  if (ca !== null) return { rejectUnauthorized: true, ca: readFileSync(ca, "utf8") };
  const wanted = [...params.keys()].some((key) => key.startsWith("ssl"));
  return wanted ? { rejectUnauthorized: false } : undefined;
}

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
      ssl: sslFor(url.searchParams),
      // DATETIME columns hold no zone: write and read them as UTC.
      timezone: "Z",
      charset: "utf8mb4",
    },
    pool: { min: 0, max: 10 },
  };
}
