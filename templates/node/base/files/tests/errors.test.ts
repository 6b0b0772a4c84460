import request from "supertest";
import { describe, expect, it } from "vitest";

import { errorOf, useApp } from "./helpers.js";

const harness = useApp();

describe("the error envelope", () => {
  it.each(["/no-such-route", "/orders/one/two"])("an unknown path %s is 404", async (path) => {
    const response = await request(harness.app).get(path);
    expect(response.status).toBe(404);
    expect(errorOf(response)).toMatchObject({ code: "not_found", details: null });
  });

  it.each([
    ["put", "/orders/x", "GET, PATCH, DELETE, HEAD"],
    ["delete", "/orders", "GET, POST, HEAD"],
    ["post", "/health", "GET, HEAD"],
  ] as const)("%s %s is 405 with Allow", async (method, path, allow) => {
    const response = await request(harness.app)[method](path).send({});
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(errorOf(response).code).toBe("method_not_allowed");
  });

  it("a failure inside a route is a 500 that leaks nothing", async () => {
    const { store } = harness;
    const page = store.page.bind(store);
    store.page = () => Promise.reject(new Error("secret internals"));
    try {
      const response = await request(harness.app).get("/orders");
      expect(response.status).toBe(500);
      expect(errorOf(response)).toEqual({
        code: "internal_error",
        message: "Something went wrong on our side.",
        details: null,
      });
    } finally {
      store.page = page;
    }
  });
});
