import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";

import { buildApp } from "../src/app.js";
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

  it("GET /ready checks the database", async () => {
    const response = await request(harness.app).get("/ready");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", checks: { database: "ok" } });
  });

  it("GET /ready answers 503 naming a database that does not answer", async () => {
    const broken: OrderStore = { ...harness.store, ping: () => Promise.reject(new Error("down")) };
    const app = buildApp({ store: broken, logger: createLogger("silent") });
    try {
      await app.ready();
      const response = await request(app.server).get("/ready");
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: "unavailable", checks: { database: "unavailable" } });
    } finally {
      await app.close();
    }
  });
});

describe("GET /openapi.json", () => {
  it("documents every route", async () => {
    const response = await request(harness.app).get("/openapi.json");
    expect(response.status).toBe(200);
    const document = response.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual(["/health", "/orders", "/orders/{id}", "/ready"]);
    expect(Object.keys(document.paths["/orders/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
  });
});

describe("the request log", () => {
  it("has one line per request: its method, path, status and duration, no headers", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = buildApp({ store: harness.store, logger });
    try {
      await app.ready();
      await request(app.server).get("/health?probe=1").set("Authorization", "Bearer secret");
    } finally {
      await app.close();
    }
    const logged = lines.filter((line) => line.req !== undefined);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: "request completed",
      req: { method: "GET", url: "/health?probe=1" },
      res: { statusCode: 200 },
    });
    expect(typeof logged[0]?.responseTime).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("secret");
  });
});
