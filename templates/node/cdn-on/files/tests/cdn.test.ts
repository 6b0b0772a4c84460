/** HTTP caching for a CDN: Cache-Control, strong ETags and 304s on order reads. */
import request from "supertest";
import { describe, expect, it } from "vitest";

import { matches, strongEtag } from "../src/http-caching.js";
import { orderPayload, useApp } from "./helpers.js";

const harness = useApp();

async function createdUrl(): Promise<string> {
  const created = await request(harness.app).post("/orders").send(orderPayload()).expect(201);
  return `/orders/${(created.body as { id: string }).id}`;
}

describe("HTTP caching", () => {
  it("makes an order public for a short while, with a strong ETag", async () => {
    const reply = await request(harness.app).get(await createdUrl());

    expect(reply.status).toBe(200);
    expect(reply.headers["cache-control"]).toBe("public, max-age=30");
    expect(reply.headers.etag).toBe(strongEtag(reply.text));
    expect(reply.headers.etag).not.toMatch(/^W\//);
  });

  it("answers a matching If-None-Match with a 304 and no body", async () => {
    const url = await createdUrl();
    const etag = (await request(harness.app).get(url)).headers.etag ?? "";

    const reply = await request(harness.app).get(url).set("If-None-Match", etag);

    expect(reply.status).toBe(304);
    expect(reply.text).toBe("");
    expect(reply.headers.etag).toBe(etag);
    expect(reply.headers["cache-control"]).toBe("public, max-age=30");
    expect(reply.headers["content-type"]).toBeUndefined();
  });

  it("answers a stale ETag with the order", async () => {
    const reply = await request(harness.app)
      .get(await createdUrl())
      .set("If-None-Match", '"not-this-one"');

    expect(reply.status).toBe(200);
    expect((reply.body as { status: string }).status).toBe("pending");
  });

  it("gives a changed order a new ETag", async () => {
    const url = await createdUrl();
    const before = (await request(harness.app).get(url)).headers.etag ?? "";

    const patched = await request(harness.app).patch(url).send({ status: "paid" });
    const after = await request(harness.app).get(url).set("If-None-Match", before);

    expect(patched.headers["cache-control"]).toBe("no-store");
    expect(patched.headers.etag).toBeUndefined();
    expect(after.status).toBe(200);
    expect((after.body as { status: string }).status).toBe("paid");
    expect(after.headers.etag).not.toBe(before);
  });

  it("has the list revalidated every time", async () => {
    await createdUrl();
    const first = await request(harness.app).get("/orders");
    const etag = first.headers.etag ?? "";

    const again = await request(harness.app).get("/orders").set("If-None-Match", etag);
    await createdUrl();
    const changed = await request(harness.app).get("/orders").set("If-None-Match", etag);

    expect(first.headers["cache-control"]).toBe("no-cache");
    expect(again.status).toBe(304);
    expect(changed.status).toBe(200);
    expect((changed.body as { total: number }).total).toBe(2);
  });

  it("never lets writes or errors be cached as orders", async () => {
    const created = await request(harness.app).post("/orders").send(orderPayload());
    const missing = await request(harness.app).get("/orders/00000000-0000-0000-0000-000000000000");
    const deleted = await request(harness.app).delete(created.headers.location ?? "");
    const head = await request(harness.app).head(created.headers.location ?? "");

    expect(created.headers["cache-control"]).toBe("no-store");
    expect(deleted.status).toBe(204);
    expect(deleted.headers["cache-control"]).toBe("no-store");
    expect(head.headers["cache-control"]).toBe("no-store");
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });
});

describe("If-None-Match", () => {
  it("uses the weak comparison", () => {
    const etag = strongEtag("{}");

    expect(matches(etag, etag)).toBe(true);
    expect(matches(`"other", W/${etag}`, etag)).toBe(true);
    expect(matches("*", etag)).toBe(true);
    expect(matches('"other"', etag)).toBe(false);
  });
});
