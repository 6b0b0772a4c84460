import { describe, expect, it } from "vitest";

import type { Order } from "../src/domain.js";
import { OrderEvents, type OrderEvent } from "../src/events.js";
import { closeAll } from "../src/extensions.js";
import { createLogger } from "../src/logger.js";

const order = { id: "an-id" } as Order;

describe("order events", () => {
  it("tell every subscriber, even after one fails", async () => {
    const events = new OrderEvents(createLogger("silent"));
    const heard: OrderEvent[] = [];
    events.subscribe(() => {
      throw new Error("a broken subscriber");
    });
    events.subscribe((event) => {
      heard.push(event);
    });
    await events.emit("order.created", order);
    await events.emit("order.deleted", order);
    expect(heard).toEqual(["order.created", "order.deleted"]);
  });
});

describe("closeAll", () => {
  it("closes last in, first out, runs every closer and reports the failures", async () => {
    const closed: string[] = [];
    const closer = (name: string, fails = false) => () => {
      closed.push(name);
      return fails ? Promise.reject(new Error(name)) : Promise.resolve();
    };
    await expect(closeAll([closer("store"), closer("cache", true), closer("queue")])).rejects.toThrow(AggregateError);
    expect(closed).toEqual(["queue", "cache", "store"]);
  });
});
