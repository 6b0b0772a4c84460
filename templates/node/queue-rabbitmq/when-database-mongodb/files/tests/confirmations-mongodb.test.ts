/**
 * The confirmations on MongoDB: picked for a MongoDB store, one document per order under
 * a unique index, and gone with their order. The last ones need DATABASE_URL on MongoDB.
 */
import { randomUUID } from "node:crypto";

import request from "supertest";
import { describe, expect, it } from "vitest";

import { confirmationLog } from "../src/confirmation-logs.js";
import type { Confirmation } from "../src/confirmations.js";
import { MongoConfirmationLog } from "../src/confirmations-mongodb.js";
import { MongoOrderStore } from "../src/mongo-store.js";
import { orderOut } from "../src/schemas.js";
import { orderPayload, useApp } from "./helpers.js";

interface IndexDescription {
  name: string;
  key: Record<string, number>;
  unique?: boolean;
}

const ON_MONGODB = /^mongodb(\+srv)?:\/\//.test(process.env.DATABASE_URL ?? "");
const harness = useApp();

function sent(orderId: string): Confirmation {
  return { order_id: orderId, status: "sent", sent_at: new Date().toISOString() };
}

/** The log and its collection, on the store of the tests. */
function mongoLog(): MongoConfirmationLog {
  const log = confirmationLog(harness.store);
  if (!(log instanceof MongoConfirmationLog)) throw new Error("the store's confirmations are not kept in MongoDB");
  return log;
}

describe("confirmations on MongoDB", () => {
  it("are kept in MongoDB for a MongoDB store", async () => {
    // Nothing listens on port 1: picking the log must not connect.
    const store = new MongoOrderStore("mongodb://127.0.0.1:1/shop");
    try {
      const log = confirmationLog(store);
      expect(log).toBeInstanceOf(MongoConfirmationLog);
      expect(log instanceof MongoConfirmationLog && log.confirmations.collectionName).toBe("order_confirmations");
    } finally {
      await store.close();
    }
  });

  it.skipIf(!ON_MONGODB)("have a unique index on order_id", async () => {
    const log = mongoLog();
    await log.prepare();
    await log.prepare(); // repeatable

    // The driver types index descriptions loosely.
    const indexes = (await log.confirmations.listIndexes().toArray()) as IndexDescription[];
    const index = indexes.find((found) => found.name === "order_id_unique");
    expect(index?.key).toEqual({ order_id: 1 });
    expect(index?.unique).toBe(true);
  });

  it.skipIf(!ON_MONGODB)("record an order once however often it is confirmed", async () => {
    const log = mongoLog();
    const order = await harness.store.add(orderPayload());
    const first = sent(order.id);

    expect(await log.record(first)).toBe(true);
    expect(await log.record(sent(order.id))).toBe(false);

    expect(await log.confirmations.countDocuments({ order_id: order.id })).toBe(1);
    expect(await log.find(order.id)).toEqual(first);
    expect(await log.find(order.id.toUpperCase())).toEqual(first);
  });

  it.skipIf(!ON_MONGODB)("keep nothing for an order that is gone", async () => {
    const log = mongoLog();
    const orderId = randomUUID();

    expect(await log.record(sent(orderId))).toBe(false);

    expect(await log.confirmations.countDocuments({ order_id: orderId })).toBe(0);
  });

  it.skipIf(!ON_MONGODB)("are deleted with their order", async () => {
    const log = mongoLog();
    const created = await request(harness.app).post("/orders").send(orderPayload()).expect(201);
    const order = orderOut.parse(created.body);
    await log.record(sent(order.id)); // may race the app's own job: either records it
    expect(await log.find(order.id)).toBeDefined();

    await request(harness.app).delete(`/orders/${order.id}`).expect(204);

    expect(await log.confirmations.countDocuments({ order_id: order.id })).toBe(0);
  });
});
