/**
 * Every migration, in the order it applies. Listed here rather than found by scanning a
 * directory, so the same code runs from `src/` (tsx) and from `dist/` (the image).
 */
import type { Knex } from "knex";

import * as createOrders from "./0001_create_orders.js";

const MIGRATIONS: readonly (readonly [string, Knex.Migration])[] = [
  ["0001_create_orders", createOrders],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(MIGRATIONS.map(([name]) => name)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const found = MIGRATIONS.find(([candidate]) => candidate === name);
    if (found === undefined) return Promise.reject(new Error(`Unknown migration ${name}`));
    return Promise.resolve(found[1]);
  },
};
