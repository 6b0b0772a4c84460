/**
 * The order-confirmation job: in the app's own process, or through RabbitMQ with AMQP_URL set.
 *
 * With AMQP_URL set the app only publishes, and `runWorker()` runs the worker's consumer
 * in this process, as `make worker` does in a process of its own. The tests consume
 * whatever the queue holds, so give them a virtual host that holds nothing you want to keep.
 */
import { randomUUID } from "node:crypto";

import type { ConsumeMessage } from "amqplib";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";

import { confirmationJob, confirmationOut } from "../src/confirmations.js";
import { confirmationLog } from "../src/confirmation-logs.js";
import { createLogger } from "../src/logger.js";
import { Consumer, MalformedMessageError, ORDER_CREATED, eventMessage, type Acknowledger } from "../src/messaging.js";
import { orderOut } from "../src/schemas.js";
import { main } from "../src/worker.js";
import { errorOf, orderPayload, useApp } from "./helpers.js";
import { serve } from "./serve.js";

const AMQP_URL = process.env.AMQP_URL === "" ? undefined : process.env.AMQP_URL;
const NO_BROKER = "amqp://guest:guest@127.0.0.1:1/%2F"; // nothing listens there
const WAIT_MS = 15_000;
const logger = createLogger("silent");

const harness = useApp();
const running: { consumer: Consumer; done: Promise<void> }[] = [];

/** Start the worker: a consumer with RabbitMQ; without it the app is the worker. */
function runWorker(): void {
  if (AMQP_URL === undefined) return;
  const consumer = new Consumer(AMQP_URL, confirmationJob(harness.store, logger), logger);
  running.push({ consumer, done: consumer.run() });
}

afterEach(async () => {
  for (const { consumer, done } of running.splice(0)) {
    consumer.stop();
    await expect(withTimeout(done, 5000)).resolves.toBe("done");
  }
});

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<"done" | "timed out"> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    promise.then(() => "done" as const),
    new Promise<"timed out">((resolve) => {
      timer = setTimeout(() => {
        resolve("timed out");
      }, ms);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

async function createOrder() {
  const response = await request(harness.app).post("/orders").send(orderPayload());
  expect(response.status).toBe(201);
  return orderOut.parse(response.body);
}

/** GET the order's confirmation, polling while it is 404 (the job may still be queued). */
async function confirmationOf(orderId: string) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const response = await request(harness.app).get(`/orders/${orderId}/confirmation`);
    if (response.status !== 404 || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An order as the API shows it, for messages about orders that were never stored. */
function anOrder(fields: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    customer_email: "ada@example.com",
    items: [{ sku: "BOOK-1", quantity: 1, unit_price_cents: 100 }],
    total_cents: 100,
    status: "pending",
    created_at: "2025-01-01T00:00:00.000Z",
    ...fields,
  };
}

function expectNotFound(response: request.Response) {
  expect(response.status).toBe(404);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(errorOf(response).code).toBe("not_found");
}

describe("the order-confirmation job", () => {
  it("confirms a new order", async () => {
    runWorker();
    const order = await createOrder();

    const response = await confirmationOf(order.id);

    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const body = confirmationOut.parse(response.body);
    expect(Object.keys(response.body as object).sort()).toEqual(["order_id", "sent_at", "status"]);
    expect([body.order_id, body.status]).toEqual([order.id, "sent"]);
    expect(Date.parse(body.sent_at)).toBeGreaterThanOrEqual(Date.parse(order.created_at));
  });

  it("confirms orders created before the worker starts", async () => {
    const orders = [await createOrder(), await createOrder(), await createOrder()];

    runWorker();

    for (const order of orders) expect((await confirmationOf(order.id)).status).toBe(200);
  });

  it("shows no confirmation before the job ran", async () => {
    const order = await harness.store.add(orderPayload()); // stored without an event: no job runs

    const response = await request(harness.app).get(`/orders/${order.id}/confirmation`);

    expectNotFound(response);
    expect(errorOf(response).message).toContain("not been confirmed");
  });

  it.each([randomUUID(), "not-a-uuid"])("has no confirmation of unknown order %s", async (orderId) => {
    expectNotFound(await request(harness.app).get(`/orders/${orderId}/confirmation`));
  });

  it("deletes the confirmation with its order", async () => {
    runWorker();
    const order = await createOrder();
    expect((await confirmationOf(order.id)).status).toBe(200);

    expect((await request(harness.app).delete(`/orders/${order.id}`)).status).toBe(204);

    expectNotFound(await request(harness.app).get(`/orders/${order.id}/confirmation`));
  });

  it("changes nothing when a message comes again", async () => {
    const order = await createOrder();
    const { body } = eventMessage(ORDER_CREATED, order);
    const job = confirmationJob(harness.store, logger);
    const log = confirmationLog(harness.store);

    await job(body); // may race the app's own delivery: it must not matter
    const first = await log.find(order.id);
    await job(body);

    expect(first).toBeDefined();
    expect(await log.find(order.id)).toEqual(first);
    expect((await request(harness.app).get(`/orders/${order.id}/confirmation`)).body).toEqual(first);
  });

  it("drops a message about an order that is gone", async () => {
    const order = anOrder();
    await confirmationJob(harness.store, logger)(eventMessage(ORDER_CREATED, order).body);

    expect(await confirmationLog(harness.store).find(order.id)).toBeUndefined();
  });

  it.each([
    ["not JSON", Buffer.from("not json")],
    ["no order", Buffer.from('{"event": "order.created"}')],
    ["another event", eventMessage("order.deleted", anOrder()).body],
    ["a malformed order", eventMessage(ORDER_CREATED, anOrder({ total_cents: "many" })).body],
  ])("refuses a malformed message (%s)", async (_case, body) => {
    await expect(confirmationJob(harness.store, logger)(body)).rejects.toThrow(MalformedMessageError);
  });
});

describe("readiness", () => {
  it("checks the queue", async () => {
    const response = await request(harness.app).get("/ready");
    expect((response.body as { checks: Record<string, string> }).checks.queue).toBe("ok");
  });

  it("keeps orders working without the broker, and says so", async () => {
    vi.stubEnv("AMQP_URL", NO_BROKER);
    const served = await serve(harness.store);
    vi.unstubAllEnvs();
    try {
      const created = await request(served.app).post("/orders").send(orderPayload());
      const ready = await request(served.app).get("/ready");

      expect(created.status).toBe(201);
      expect(ready.status).toBe(503);
      expect((ready.body as { checks: Record<string, string> }).checks.queue).toBe("unavailable");
    } finally {
      await served.close();
    }
  });
});

/** Stands in for an amqplib channel: records what the consumer told the broker. */
class RecordingChannel implements Acknowledger {
  readonly calls: [string, number, boolean | undefined][] = [];

  ack(message: ConsumeMessage): void {
    this.calls.push(["ack", message.fields.deliveryTag, undefined]);
  }

  nack(message: ConsumeMessage, _allUpTo?: boolean, requeue?: boolean): void {
    this.calls.push(["nack", message.fields.deliveryTag, requeue]);
  }

  reject(message: ConsumeMessage, requeue?: boolean): void {
    this.calls.push(["reject", message.fields.deliveryTag, requeue]);
  }
}

/** Hand the consumer one message, as amqplib would. */
function deliver(consumer: Consumer, channel: Acknowledger, tag: number): Promise<void> {
  const message = {
    content: Buffer.from("{}"),
    fields: { deliveryTag: tag, redelivered: false, exchange: "", routingKey: ORDER_CREATED, consumerTag: "test" },
    properties: { messageId: String(tag) },
  } as unknown as ConsumeMessage;
  return consumer.onMessage(channel, message);
}

describe("the worker", () => {
  it("acknowledges a message once its job is done", async () => {
    const done: string[] = [];
    const channel = new RecordingChannel();

    await deliver(
      new Consumer(
        NO_BROKER,
        (body) => {
          done.push(body.toString());
          return Promise.resolve();
        },
        logger,
      ),
      channel,
      1,
    );

    expect(done).toEqual(["{}"]);
    expect(channel.calls).toEqual([["ack", 1, undefined]]);
  });

  it("drops a malformed message", async () => {
    const channel = new RecordingChannel();
    const refuse = () => Promise.reject(new MalformedMessageError("not an order.created message"));

    await deliver(new Consumer(NO_BROKER, refuse, logger), channel, 1);

    expect(channel.calls).toEqual([["reject", 1, false]]);
  });

  it("puts a failed message back and takes no more", async () => {
    const channel = new RecordingChannel();
    const consumer = new Consumer(NO_BROKER, () => Promise.reject(new Error("the database is down")), logger);

    await deliver(consumer, channel, 1);
    await deliver(consumer, channel, 2); // left unacknowledged: the broker will redeliver it

    expect(channel.calls).toEqual([["nack", 1, true]]);
  });

  it("stops promptly while the broker is away", async () => {
    const consumer = new Consumer(NO_BROKER, () => Promise.resolve(), logger);
    const done = consumer.run();
    await new Promise((resolve) => setTimeout(resolve, 300));

    consumer.stop();

    expect(await withTimeout(done, 2000)).toBe("done");
  });

  it("refuses to start without a broker", async () => {
    expect(await main({ LOG_LEVEL: "silent" }, {})).toBe(2);
  });
});
