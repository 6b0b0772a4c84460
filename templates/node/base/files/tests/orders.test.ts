import request from "supertest";
import { describe, expect, it } from "vitest";

import { ORDER_STATUSES, TRANSITIONS } from "../src/domain.js";
import { orderOut, orderPage } from "../src/schemas.js";
import { errorOf, fieldsOf, item, orderPayload, useApp } from "./helpers.js";

const harness = useApp();

async function create(overrides: Record<string, unknown> = {}) {
  const response = await request(harness.app).post("/orders").send(orderPayload(overrides));
  expect(response.status).toBe(201);
  return orderOut.parse(response.body);
}

describe("POST /orders", () => {
  it("creates a pending order with its total and a Location", async () => {
    const response = await request(harness.app).post("/orders").send(orderPayload());
    expect(response.status).toBe(201);
    const order = orderOut.parse(response.body);
    expect(response.headers.location).toBe(`/orders/${order.id}`);
    expect(order).toMatchObject({
      customer_email: "ada@example.com",
      status: "pending",
      total_cents: 2 * 1250 + 99,
      items: [item(), item({ sku: "SKU-2", quantity: 1, unit_price_cents: 99 })],
    });
    const fetched = await request(harness.app).get(`/orders/${order.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(order);
  });

  it("ignores unknown fields, the status and total included", async () => {
    const order = await create({ status: "shipped", total_cents: 1, note: "hello" });
    expect(order.status).toBe("pending");
    expect(order.total_cents).toBe(2599);
  });

  it.each([
    ["a bad e-mail address", { customer_email: "not-an-email" }, "customer_email"],
    ["no items", { items: [] }, "items"],
    ["101 items", { items: Array.from({ length: 101 }, () => item()) }, "items"],
    ["quantity 0", { items: [item({ quantity: 0 })] }, "items.0.quantity"],
    ["a fractional quantity", { items: [item({ quantity: 1.5 })] }, "items.0.quantity"],
    ["a quantity as a string", { items: [item({ quantity: "2" })] }, "items.0.quantity"],
    ["a negative price", { items: [item({ unit_price_cents: -1 })] }, "items.0.unit_price_cents"],
    ["a 65-character sku", { items: [item({ sku: "S".repeat(65) })] }, "items.0.sku"],
    [
      "a total past 2^53",
      { items: Array.from({ length: 100 }, () => item({ quantity: 2 ** 31 - 1, unit_price_cents: 2 ** 31 - 1 })) },
      "items",
    ],
  ])("refuses %s with 422 naming the field", async (_name, overrides, field) => {
    const response = await request(harness.app).post("/orders").send(orderPayload(overrides));
    expect(response.status).toBe(422);
    expect(errorOf(response).code).toBe("validation_error");
    expect(fieldsOf(response)).toContain(field);
  });

  it("refuses malformed JSON with 400", async () => {
    const response = await request(harness.app)
      .post("/orders")
      .set("content-type", "application/json")
      .send('{"customer_email": ');
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({
      code: "malformed_json",
      message: "The request body is not valid JSON.",
      details: null,
    });
  });
});

describe("GET /orders", () => {
  it("lists newest first and paginates", async () => {
    const first = await create();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await create();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const third = await create();

    const all = orderPage.parse((await request(harness.app).get("/orders")).body);
    expect(all).toMatchObject({ total: 3, limit: 20, offset: 0 });
    expect(all.items.map((order) => order.id)).toEqual([third.id, second.id, first.id]);

    const page = orderPage.parse((await request(harness.app).get("/orders?limit=1&offset=1")).body);
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((order) => order.id)).toEqual([second.id]);
  });

  it.each(["limit=0", "limit=101", "limit=ten", "offset=-1", "limit=1.5"])(
    "refuses %s with 422",
    async (query) => {
      const response = await request(harness.app).get(`/orders?${query}`);
      expect(response.status).toBe(422);
      expect(fieldsOf(response)).toEqual([query.split("=")[0]]);
    },
  );
});

describe("GET, PATCH and DELETE /orders/:id", () => {
  it.each(["00000000-0000-4000-8000-000000000000", "not-a-uuid"])("answers 404 for %s", async (id) => {
    for (const method of ["get", "delete"] as const) {
      const response = await request(harness.app)[method](`/orders/${id}`);
      expect(response.status).toBe(404);
      expect(errorOf(response).code).toBe("not_found");
    }
    const patched = await request(harness.app).patch(`/orders/${id}`).send({ status: "paid" });
    expect(patched.status).toBe(404);
  });

  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));
  it.each(pairs)("from %s to %s follows the state machine", async (from, to) => {
    const order = await create();
    // The shortest way from pending to `from`.
    const path = { pending: [], paid: ["paid"], shipped: ["paid", "shipped"], cancelled: ["cancelled"] }[from];
    for (const step of path) {
      expect((await request(harness.app).patch(`/orders/${order.id}`).send({ status: step })).status).toBe(200);
    }
    const response = await request(harness.app).patch(`/orders/${order.id}`).send({ status: to });
    const allowed = TRANSITIONS[from].includes(to);
    expect(response.status).toBe(allowed ? 200 : 409);
    if (!allowed) expect(errorOf(response).code).toBe("invalid_transition");
    const stored = await request(harness.app).get(`/orders/${order.id}`);
    expect(orderOut.parse(stored.body).status).toBe(allowed ? to : from);
  });

  it("refuses an unknown status with 422", async () => {
    const order = await create();
    const response = await request(harness.app).patch(`/orders/${order.id}`).send({ status: "refunded" });
    expect(response.status).toBe(422);
    expect(fieldsOf(response)).toEqual(["status"]);
  });

  it("deletes with 204, then the order is gone", async () => {
    const order = await create();
    const response = await request(harness.app).delete(`/orders/${order.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect((await request(harness.app).get(`/orders/${order.id}`)).status).toBe(404);
    const page = orderPage.parse((await request(harness.app).get("/orders")).body);
    expect(page.total).toBe(0);
  });
});
