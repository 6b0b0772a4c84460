import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { loadSettings, SQLITE_URL } from "../src/config.js";
import { migrationSource } from "../src/migrations/index.js";
import { SqlOrderStore } from "../src/sql-store.js";
import { openStore } from "../src/store.js";

describe("migrations", () => {
  it("apply to an empty database, twice without harm, and roll back", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "orders-migrate-"));
    const store = openStore(`sqlite:///${join(scratch, "fresh.db")}`);
    try {
      await store.migrate();
      await store.migrate();
      if (!(store instanceof SqlOrderStore)) throw new Error("SQLite must be served by Knex");
      const { db } = store;
      expect(await db.schema.hasTable("orders")).toBe(true);
      expect(await db.schema.hasTable("order_items")).toBe(true);
      await db.migrate.rollback({ migrationSource }, true);
      expect(await db.schema.hasTable("orders")).toBe(false);
    } finally {
      await store.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe("settings", () => {
  it("default to the SQLite file and port 8000, empty variables counting as unset", () => {
    expect(loadSettings({ DATABASE_URL: "", PORT: "" })).toEqual({
      port: 8000,
      databaseUrl: SQLITE_URL,
      logLevel: "info",
    });
  });

  it("take the environment over .env", () => {
    const settings = loadSettings({ LOG_LEVEL: "WARNING" }, { LOG_LEVEL: "debug", PORT: "9000" });
    expect(settings).toMatchObject({ port: 9000, logLevel: "warn" });
  });

  it("name an invalid variable", () => {
    expect(() => loadSettings({ PORT: "eighty" })).toThrow(/PORT/);
  });
});
