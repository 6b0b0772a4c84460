/** The order cache: through the API (on Redis when REDIS_URL is set), and its memory backend. */
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";

import { MemoryBackend, tlsOptions } from "../src/order-cache.js";
import { orderPayload, useApp } from "./helpers.js";
import { serve } from "./serve.js";

const harness = useApp();

async function createdUrl(): Promise<string> {
  const created = await request(harness.app).post("/orders").send(orderPayload()).expect(201);
  return `/orders/${(created.body as { id: string }).id}`;
}

describe("the order cache", () => {
  it("serves the second read from the cache", async () => {
    const url = await createdUrl();

    const first = await request(harness.app).get(url);
    const second = await request(harness.app).get(url);

    expect(first.headers["x-cache"]).toBe("MISS");
    expect(second.headers["x-cache"]).toBe("HIT");
    expect(second.status).toBe(200);
    expect(second.headers["content-type"]).toBe(first.headers["content-type"]);
    expect(second.headers["content-type"]).toMatch(/^application\/json/);
    expect(second.body).toEqual(first.body);
  });

  it("drops the cached order when its status changes", async () => {
    const url = await createdUrl();
    await request(harness.app).get(url);

    await request(harness.app).patch(url).send({ status: "paid" }).expect(200);

    const after = await request(harness.app).get(url);
    expect(after.headers["x-cache"]).toBe("MISS");
    expect((after.body as { status: string }).status).toBe("paid");
    expect((await request(harness.app).get(url)).headers["x-cache"]).toBe("HIT");
  });

  it("keeps the cached order when a change is refused", async () => {
    const url = await createdUrl();
    await request(harness.app).get(url);

    await request(harness.app).patch(url).send({ status: "shipped" }).expect(409);

    expect((await request(harness.app).get(url)).headers["x-cache"]).toBe("HIT");
  });

  it("drops the cached order when it is deleted", async () => {
    const url = await createdUrl();
    await request(harness.app).get(url);

    await request(harness.app).delete(url).expect(204);

    const after = await request(harness.app).get(url);
    expect(after.status).toBe(404);
    expect(after.headers["x-cache"]).toBe("MISS");
  });

  it("shares one entry between spellings of an id, and never caches a non-id", async () => {
    const url = await createdUrl();
    await request(harness.app).get(url);

    expect((await request(harness.app).get(url.toUpperCase().replace("/ORDERS/", "/orders/"))).headers["x-cache"]).toBe(
      "HIT",
    );
    const missing = await request(harness.app).get("/orders/not-an-id");
    expect(missing.status).toBe(404);
    expect(missing.headers["x-cache"]).toBeUndefined();
  });

  it("is one of the readiness checks", async () => {
    const ready = await request(harness.app).get("/ready").expect(200);
    expect((ready.body as { checks: Record<string, string> }).checks.cache).toBe("ok");
  });
});

describe("without Redis", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("the database answers and /ready says the cache is unavailable", async () => {
    vi.stubEnv("REDIS_URL", "redis://127.0.0.1:1/0"); // nothing listens there
    const served = await serve(harness.store);
    try {
      const created = await request(served.app).post("/orders").send(orderPayload()).expect(201);
      const url = `/orders/${(created.body as { id: string }).id}`;

      const first = await request(served.app).get(url).expect(200);
      const second = await request(served.app).get(url).expect(200);
      const ready = await request(served.app).get("/ready");

      expect(second.body).toEqual(first.body);
      expect(second.headers["x-cache"]).toBe("MISS");
      expect(ready.status).toBe(503);
      expect((ready.body as { checks: Record<string, string> }).checks.cache).toBe("unavailable");
    } finally {
      await served.close();
    }
  });
});

describe("the memory backend", () => {
  it("lets entries expire", async () => {
    let now = 0;
    const backend = new MemoryBackend(1024, () => now);
    await backend.set("key", "value", 10);

    now = 9_900;
    expect(await backend.get("key")).toBe("value");
    now = 10_000;
    expect(await backend.get("key")).toBeUndefined();
  });

  it("keeps the most recently written entries", async () => {
    const backend = new MemoryBackend(2);
    for (const key of ["a", "b", "c"]) await backend.set(key, key, 60);

    expect(await backend.get("a")).toBeUndefined();
    expect(await backend.get("b")).toBe("b");
    expect(await backend.get("c")).toBe("c");
  });
});

describe("the Redis URL", () => {
  it("turns on TLS for rediss://, with the CA and hostname check its query gives", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const url = `rediss://:secret@10.0.0.3:6378/0?ssl_check_hostname=false&ssl_ca_data=${encodeURIComponent(pem)}`;

    const tls = tlsOptions(url);

    expect(tls?.ca).toBe(pem);
    expect(tls?.checkServerIdentity?.("10.0.0.3", {} as never)).toBeUndefined();
    expect(tlsOptions("rediss://:secret@cache.example.com:6380/0")).toEqual({});
    expect(tlsOptions("redis://localhost:6379/0")).toBeUndefined();
  });
});
