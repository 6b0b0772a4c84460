/**
 * The app under test, on the database in DATABASE_URL or, unset, a throwaway SQLite file.
 *
 * The tests never read `.env`: they empty the tables they use, so they only ever touch
 * the database they are explicitly given.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, beforeEach } from "vitest";

import { errorResponse } from "../src/schemas.js";
import { openStore, type OrderStore } from "../src/store.js";
import { serve, type Served } from "./serve.js";

export interface Harness {
  /** What supertest's `request()` drives: the framework's app, served in-process. */
  app: Served["app"];
  store: OrderStore;
}

/** Register hooks that give every test of the file an app on an empty, migrated database. */
export function useApp(): Harness {
  const harness = {} as Harness;
  let scratch: string | undefined;
  let served: Served | undefined;

  beforeAll(async () => {
    let url = process.env.DATABASE_URL;
    if (url === undefined || url === "") {
      scratch = mkdtempSync(join(tmpdir(), "orders-test-"));
      url = `sqlite:///${join(scratch, "test.db")}`;
    }
    harness.store = openStore(url);
    await harness.store.migrate();
    served = await serve(harness.store);
    harness.app = served.app;
  });

  beforeEach(async () => {
    await harness.store.clear();
  });

  afterAll(async () => {
    await served?.close();
    await harness.store.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  return harness;
}

export function item(overrides: Record<string, unknown> = {}) {
  return { sku: "SKU-1", quantity: 2, unit_price_cents: 1250, ...overrides };
}

export function orderPayload(overrides: Record<string, unknown> = {}) {
  return {
    customer_email: "ada@example.com",
    items: [item(), item({ sku: "SKU-2", quantity: 1, unit_price_cents: 99 })],
    ...overrides,
  };
}

/** The error of an error response, checked against the envelope's schema. */
export function errorOf(response: { body: unknown }) {
  return errorResponse.parse(response.body).error;
}

/** The fields a validation error names. */
export function fieldsOf(response: { body: unknown }): string[] {
  return (errorOf(response).details ?? []).map((detail) => detail.field);
}
