/**
 * Bad request bodies, judged as the contract says: the media type first (415), then the
 * JSON (400), then its shape (422). The same answers in every stack.
 */
import request from "supertest";
import { describe, expect, it } from "vitest";

import { orderOut } from "../src/schemas.js";
import { errorOf, fieldsOf, orderPayload, useApp } from "./helpers.js";

const harness = useApp();

const VALID = JSON.stringify(orderPayload());

/** An order to PATCH; each test starts on an empty database. */
async function pendingOrder(): Promise<string> {
  const response = await request(harness.app).post("/orders").send(orderPayload());
  expect(response.status).toBe(201);
  return orderOut.parse(response.body).id;
}

/** POST /orders or PATCH /orders/:id with `body` as given, labelled `contentType` (none when undefined). */
async function send(method: "post" | "patch", body: string, contentType?: string) {
  const path = method === "post" ? "/orders" : `/orders/${await pendingOrder()}`;
  const call = request(harness.app)[method](path);
  if (contentType === undefined) return call.send(Buffer.from(body)); // a string would be labelled a form
  // A string goes out as it is (a Buffer labelled JSON would be serialised as an object).
  return call.set("Content-Type", contentType).send(body);
}

describe.each(["post", "patch"] as const)("%s with a bad body", (method) => {
  const valid = method === "post" ? VALID : '{"status": "paid"}';

  it("refuses an empty application/json body with 400", async () => {
    const response = await send(method, "", "application/json");
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: "malformed_json", details: null });
  });

  it.each(["3", '"an order"', "null", "true", "[]"])("refuses the JSON %s with 422 on the body", async (json) => {
    const response = await send(method, json, "application/json");
    expect(response.status).toBe(422);
    expect(errorOf(response).code).toBe("validation_error");
    expect(fieldsOf(response)).toContain("body");
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", undefined])(
    "refuses valid JSON sent as %s with 415",
    async (contentType) => {
      const response = await send(method, valid, contentType);
      expect(response.status).toBe(415);
      expect(errorOf(response)).toMatchObject({ code: "unsupported_media_type", details: null });
    },
  );

  it("refuses a text/plain label even without a body with 415", async () => {
    const response = await send(method, "", "text/plain");
    expect(response.status).toBe(415);
    expect(errorOf(response).code).toBe("unsupported_media_type");
  });
});

describe("the JSON media type", () => {
  it.each(["application/json; charset=utf-8", "Application/JSON"])("is taken as %s", async (contentType) => {
    const response = await request(harness.app).post("/orders").set("Content-Type", contentType).send(VALID);
    expect(response.status).toBe(201);
  });

  it("is not needed without a body: that is a 422 on the body", async () => {
    const response = await request(harness.app).post("/orders");
    expect(response.status).toBe(422);
    expect(fieldsOf(response)).toContain("body");
  });

  it("leaves a refused order unchanged", async () => {
    const id = await pendingOrder();
    const refused = await request(harness.app)
      .patch(`/orders/${id}`)
      .set("Content-Type", "text/plain")
      .send(Buffer.from('{"status": "paid"}'));
    expect(refused.status).toBe(415);
    const order = await request(harness.app).get(`/orders/${id}`);
    expect(orderOut.parse(order.body).status).toBe("pending");
  });
});
