/**
 * PostgreSQL through node-postgres (`pg`), from a `postgresql://` URL.
 *
 * `sslmode` keeps libpq's meaning, which every other PostgreSQL tool gives it (node-postgres
 * alone would read `require` as "verify the certificate"): `require` encrypts without
 * verifying the server's certificate, as the cloud deployments' URLs ask, since managed
 * servers' certificates come from their provider's CA; `verify-ca` and `verify-full` verify
 * it against Node's CAs (add a private CA with NODE_EXTRA_CA_CERTS); anything else, or no
 * `sslmode`, connects without TLS.
 */
import type { Knex } from "knex";

export type Ssl = false | { rejectUnauthorized: boolean };

export function sslFor(sslmode: string | null): Ssl {
  switch (sslmode) {
    case "require":
      return { rejectUnauthorized: false };
    case "verify-ca":
    case "verify-full":
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

export function config(databaseUrl: string): Knex.Config {
  const url = new URL(databaseUrl);
  const ssl = sslFor(url.searchParams.get("sslmode"));
  // The rest of the URL is node-postgres's to read; `ssl` below replaces its sslmode.
  url.searchParams.delete("sslmode");
  return {
    client: "pg",
    connection: { connectionString: url.toString(), ssl },
    pool: { min: 0, max: 10 },
  };
}
