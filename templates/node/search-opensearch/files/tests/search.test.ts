/**
 * Order search through the API: on OpenSearch when SEARCH_URL is set, else on the database.
 *
 * With SEARCH_URL set, every test here starts from a new, empty SEARCH_INDEX: point the
 * tests at an index that holds nothing you want to keep.
 */
import { Client } from "@opensearch-project/opensearch";
import request from "supertest";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { environmentOf } from "../src/config.js";
import { TRANSITIONS, type Order } from "../src/domain.js";
import { databaseSearch } from "../src/database-search.js";
import { createLogger } from "../src/logger.js";
import {
  DatabaseSearch,
  DELETED_VERSION,
  INDEX_BODY,
  OpenSearchIndex,
  VERSIONS,
  pagesOf,
  searchDocument,
  searchSettings,
  type SearchSettings,
} from "../src/order-search.js";
import { main as reindex } from "../src/reindex.js";
import { orderOut, orderPage } from "../src/schemas.js";
import { fieldsOf, useApp } from "./helpers.js";
import { serve } from "./serve.js";

const harness = useApp();
const config: SearchSettings = searchSettings.parse(environmentOf(process.env));
const searchUrl = config.SEARCH_URL;
const admin = searchUrl ? new Client({ node: searchUrl }) : undefined;

// The tables are emptied behind the app's back (helpers.ts), so its index must start empty
// too; it is recreated at once, with its mapping, as the app made it.
beforeEach(async () => {
  if (admin === undefined) return;
  await admin.indices.delete({ index: config.SEARCH_INDEX, ignore_unavailable: true });
  try {
    await admin.indices.create({ index: config.SEARCH_INDEX, body: INDEX_BODY });
  } catch (error) {
    // The app, started a moment ago, may have just created it itself, empty.
    if (!String(error).includes("resource_already_exists_exception")) throw error;
  }
});

afterAll(async () => {
  await admin?.close();
});

async function orderWith(email: string, ...skus: string[]): Promise<Order> {
  const items = (skus.length > 0 ? skus : ["BOOK-1"]).map((sku) => ({ sku, quantity: 1, unit_price_cents: 100 }));
  const response = await request(harness.app).post("/orders").send({ customer_email: email, items });
  expect(response.status).toBe(201);
  return orderOut.parse(response.body);
}

/** The ids of the orders a search finds, in the order it gives them. */
async function found(q: string, params: Record<string, number> = {}): Promise<string[]> {
  const response = await request(harness.app).get("/orders/search").query({ q, ...params });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return orderPage.parse(response.body).items.map((order) => order.id);
}

describe("GET /orders/search", () => {
  it("matches the whole address, its local part or its domain", async () => {
    const ada = await orderWith("ada@example.com");
    const grace = await orderWith("grace@navy.example.org");

    expect(await found("ada@example.com")).toEqual([ada.id]);
    expect(await found("ada")).toEqual([ada.id]);
    expect(await found("example.com")).toEqual([ada.id]);
    expect(await found("navy.example.org")).toEqual([grace.id]);
    // Whole terms only: neither a piece of a part nor a parent domain.
    expect(await found("ad")).toEqual([]);
    expect(await found("example.org")).toEqual([]);
    expect(await found("@example.com")).toEqual([]);
    // SQL wildcards in a term match only themselves.
    expect(await found("%")).toEqual([]);
    expect(await found("___")).toEqual([]);
  });

  it("matches a whole SKU of any item", async () => {
    const both = await orderWith("ada@example.com", "BOOK-1", "PEN_2");
    const one = await orderWith("grace@example.org", "PEN_2");

    expect(await found("BOOK-1")).toEqual([both.id]);
    expect(await found("PEN_2")).toEqual([one.id, both.id]); // newest first
    expect(await found("BOOK")).toEqual([]);
  });

  it("ignores case and surrounding spaces", async () => {
    const order = await orderWith("Ada.Lovelace@Example.com", "Book-1");

    for (const q of ["ada.lovelace@example.com", "ADA.LOVELACE", "EXAMPLE.COM", "book-1", "  BOOK-1 "]) {
      expect(await found(q), q).toEqual([order.id]);
    }
  });

  it("answers a page of whole orders", async () => {
    const order = await orderWith("ada@example.com", "BOOK-1");

    const response = await request(harness.app).get("/orders/search").query({ q: "ada" });

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.body).toEqual({ items: [order], total: 1, limit: 20, offset: 0 });
  });

  it("answers an empty page when nothing matches", async () => {
    await orderWith("ada@example.com");

    const response = await request(harness.app).get("/orders/search").query({ q: "nobody@example.com" });

    expect(response.body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
  });

  it("pages newest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await orderWith("ada@example.com")).id);
    await orderWith("grace@example.org");
    const newestFirst = ids.reverse();

    const first = orderPage.parse((await request(harness.app).get("/orders/search").query({ q: "ada", limit: 2 })).body);
    const last = orderPage.parse(
      (await request(harness.app).get("/orders/search").query({ q: "ada", limit: 2, offset: 4 })).body,
    );

    expect(first.items.map((o) => o.id)).toEqual(newestFirst.slice(0, 2));
    expect([first.total, first.limit, first.offset]).toEqual([5, 2, 0]);
    expect(last.items.map((o) => o.id)).toEqual(newestFirst.slice(4));
    expect(await found("ada", { offset: 5 })).toEqual([]);
  });

  it("shows a status change in the results", async () => {
    const order = await orderWith("ada@example.com");

    await request(harness.app).patch(`/orders/${order.id}`).send({ status: "paid" }).expect(200);

    const page = orderPage.parse((await request(harness.app).get("/orders/search").query({ q: "ada" })).body);
    expect(page.items.map((o) => [o.id, o.status])).toEqual([[order.id, "paid"]]);
  });

  it("no longer finds a deleted order", async () => {
    const kept = await orderWith("ada@example.com");
    const gone = await orderWith("ada@example.com");

    await request(harness.app).delete(`/orders/${gone.id}`).expect(204);

    const page = orderPage.parse((await request(harness.app).get("/orders/search").query({ q: "ada" })).body);
    expect(page.items.map((o) => o.id)).toEqual([kept.id]);
    expect(page.total).toBe(1);
  });

  it("is a route of its own, documented, never taken for an order id", async () => {
    const document = await request(harness.app).get("/openapi.json").expect(200);
    const paths = (document.body as { paths: Record<string, Record<string, unknown>> }).paths;

    expect(paths["/orders/search"]?.get).toBeDefined();
    await request(harness.app).get("/orders/search").query({ q: "ada" }).expect(200);
    const post = await request(harness.app).post("/orders/search").send({});
    expect(post.status).toBe(405);
    expect(post.headers.allow).toMatch(/^GET\b/);
  });

  it.each([
    [{}, "q"],
    [{ q: "" }, "q"],
    [{ q: "   " }, "q"],
    [{ q: "a".repeat(201) }, "q"],
    [{ q: "ada", limit: 0 }, "limit"],
    [{ q: "ada", limit: 101 }, "limit"],
    [{ q: "ada", limit: "ten" }, "limit"],
    [{ q: "ada", offset: -1 }, "offset"],
    [{ q: "ada", offset: 9_990, limit: 20 }, "offset"],
    [{ q: "ada", offset: 9_990, limit: 101 }, "limit"],
  ])("rejects the query %j, naming %s", async (query, field) => {
    const response = await request(harness.app).get("/orders/search").query(query);

    expect(response.status).toBe(422);
    expect((response.body as { error: { code: string } }).error.code).toBe("validation_error");
    expect(fieldsOf(response)).toEqual([field]);
  });

  it("accepts the longest query and the last page of the window", async () => {
    expect(await found("a".repeat(200))).toEqual([]);
    expect(await found("ada", { offset: 9_980, limit: 20 })).toEqual([]);
  });

  it("is one of the readiness checks", async () => {
    const ready = await request(harness.app).get("/ready").expect(200);
    expect((ready.body as { checks: Record<string, string> }).checks.search).toBe("ok");
  });
});

describe("without the search server", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("the database answers, writes succeed and /ready says search is unavailable", async () => {
    const order = await orderWith("ada@example.com");
    vi.stubEnv("SEARCH_URL", "http://127.0.0.1:1"); // nothing listens there
    const served = await serve(harness.store);
    try {
      const search = await request(served.app).get("/orders/search").query({ q: "ada" });
      const created = await request(served.app)
        .post("/orders")
        .send({ customer_email: "grace@example.org", items: [{ sku: "PEN-2", quantity: 1, unit_price_cents: 100 }] });
      const ready = await request(served.app).get("/ready");

      expect(orderPage.parse(search.body).items.map((o) => o.id)).toEqual([order.id]);
      expect(created.status).toBe(201); // a missed index write never fails the change
      expect(ready.status).toBe(503);
      expect((ready.body as { checks: Record<string, string> }).checks.search).toBe("unavailable");
    } finally {
      await served.close();
    }
  });
});

describe("make reindex", () => {
  it("refuses to run without SEARCH_URL", async () => {
    expect(await reindex({ ...process.env, SEARCH_URL: "", LOG_LEVEL: "silent" }, {})).toBe(2);
  });

  it.skipIf(searchUrl === undefined)("rebuilds the index from the database", async () => {
    const order = await orderWith("ada@example.com");
    await admin?.indices.delete({ index: config.SEARCH_INDEX });
    const logger = createLogger("silent");
    const index = new OpenSearchIndex(
      { ...config, SEARCH_URL: searchUrl ?? "" },
      new DatabaseSearch(databaseSearch(harness.store)),
      logger,
    );
    try {
      expect(await index.rebuild(pagesOf(harness.store, 2))).toBe(1);
    } finally {
      await index.close();
    }
    expect(await found("ada")).toEqual([order.id]);
  });

  it("reads every order a page at a time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await orderWith(`buyer${i}@example.com`)).id);

    const pages: string[][] = [];
    for await (const page of pagesOf(harness.store, 2)) pages.push(page.map((o) => o.id));

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
  });
});

describe("the index document", () => {
  it("holds the order and its terms", () => {
    const order: Order = {
      id: "1",
      customer_email: "ada@example.com",
      items: [
        { sku: "B", quantity: 1, unit_price_cents: 1 },
        { sku: "A", quantity: 1, unit_price_cents: 1 },
        { sku: "B", quantity: 2, unit_price_cents: 1 },
      ],
      total_cents: 4,
      status: "pending",
      created_at: "2026-01-01T00:00:00.000Z",
    };

    expect(searchDocument(order)).toEqual({
      ...order,
      email_local_part: "ada",
      email_domain: "example.com",
      skus: ["A", "B"],
    });
  });

  it("has a higher version after every status change, the deletion highest", () => {
    // Otherwise a late write of an older state could replace a newer one in the index.
    for (const [status, successors] of Object.entries(TRANSITIONS)) {
      const version = VERSIONS[status as keyof typeof VERSIONS];
      for (const after of successors) expect(version, `${status} -> ${after}`).toBeLessThan(VERSIONS[after]);
    }
    expect(Math.max(...Object.values(VERSIONS))).toBeLessThan(DELETED_VERSION);
  });
});
