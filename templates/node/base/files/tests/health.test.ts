import request from "supertest";
import { describe, expect, it } from "vitest";

import type { OrderStore } from "../src/store.js";
import { useApp } from "./helpers.js";
import { serve } from "./serve.js";

const harness = useApp();

describe("health and readiness", () => {
  it("GET /health is ok", async () => {
    const response = await request(harness.app).get("/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  // toMatchObject: each add-on adds a check of its own next to the database's.
  it("GET /ready checks the database", async () => {
    const response = await request(harness.app).get("/ready");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: "ok", checks: { database: "ok" } });
  });

  it("GET /ready answers 503 naming a database that does not answer", async () => {
    const broken: OrderStore = { ...harness.store, ping: () => Promise.reject(new Error("down")) };
    const served = await serve(broken);
    try {
      const response = await request(served.app).get("/ready");
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: "unavailable", checks: { database: "unavailable" } });
    } finally {
      await served.close();
    }
  });
});

describe("GET /openapi.json", () => {
  it("documents every route", async () => {
    const response = await request(harness.app).get("/openapi.json");
    expect(response.status).toBe(200);
    const document = response.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    // arrayContaining: each add-on documents its own paths next to these.
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/health", "/orders", "/orders/{id}", "/ready"]),
    );
    expect(Object.keys(document.paths["/orders/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });
});
