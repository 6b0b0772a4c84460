import request from "supertest";
import { describe, expect, it } from "vitest";

import { createApp } from "../src/app.js";
import { createLogger } from "../src/logger.js";
import type { OrderStore } from "../src/store.js";
import { useApp } from "./helpers.js";

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
    // Add-ons add checks of their own next to the database's.
    expect(response.body).toMatchObject({ status: "ok", checks: { database: "ok" } });
  });

  it("GET /ready answers 503 naming a database that does not answer", async () => {
    const broken: OrderStore = { ...harness.store, ping: () => Promise.reject(new Error("down")) };
    const app = createApp({ store: broken, logger: createLogger("silent") });
    const response = await request(app).get("/ready");
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: "unavailable", checks: { database: "unavailable" } });
  });
});

describe("GET /openapi.json", () => {
  it("documents every route", async () => {
    const response = await request(harness.app).get("/openapi.json");
    expect(response.status).toBe(200);
    const document = response.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    // Add-ons document their own paths next to these.
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/health", "/orders", "/orders/{id}", "/ready"]),
    );
    expect(Object.keys(document.paths["/orders/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });
});
