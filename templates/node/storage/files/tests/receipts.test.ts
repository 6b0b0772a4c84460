/** Order receipts through the API: on local disk by default, in the blob store once configured. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";

import { orderOut } from "../src/schemas.js";
import { DirectoryStore } from "../src/receipt-store.js";
import { openReceiptStore } from "../src/receipt-settings.js";
import { errorOf, fieldsOf, orderPayload, useApp } from "./helpers.js";
import { serve } from "./serve.js";

// Receipts on disk go to a scratch directory, not the project's data/receipts.
const scratch = mkdtempSync(join(tmpdir(), "receipts-test-"));
process.env.RECEIPTS_DIR ??= join(scratch, "receipts");
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const harness = useApp();
// The same store the app opens, from the same environment, to look behind the API.
const store = openReceiptStore(process.env);
afterAll(() => store.close());

const PDF = Buffer.from("%PDF-1.7\nnot quite a PDF, but binary: \x00\xff\xfe\n", "latin1");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

async function createOrder() {
  const response = await request(harness.app).post("/orders").send(orderPayload());
  expect(response.status).toBe(201);
  return orderOut.parse(response.body);
}

const receiptUrl = (id: string) => `/orders/${id}/receipt`;

function put(app: typeof harness.app, url: string, content: Buffer, contentType?: string) {
  const call = request(app).put(url);
  if (contentType !== undefined) void call.set("Content-Type", contentType);
  return call.send(content);
}

/** GET with the body as bytes, whatever its type. */
function get(url: string) {
  return request(harness.app).get(url).buffer(true).responseType("blob").redirects(0);
}

describe("receipts", () => {
  it("come back as they were stored", async () => {
    const order = await createOrder();
    const url = receiptUrl(order.id);

    const stored = await put(harness.app, url, PDF, "application/pdf");
    const fetched = await get(url);

    expect(stored.status).toBe(201);
    expect(stored.headers.location).toBe(url);
    expect(stored.body).toEqual({ order_id: order.id, content_type: "application/pdf", size_bytes: PDF.length });
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(fetched.body as Buffer, PDF)).toBe(0);
    expect(fetched.headers["content-type"]).toBe("application/pdf");
  });

  it("are replaced by a second upload", async () => {
    const url = receiptUrl((await createOrder()).id);
    expect((await put(harness.app, url, PDF, "application/pdf")).status).toBe(201);

    const replaced = await put(harness.app, url, Buffer.from("paid in full"), "text/plain; charset=us-ascii");

    expect(replaced.status).toBe(200);
    expect(replaced.headers.location).toBeUndefined();
    const fetched = await get(url);
    expect((fetched.body as Buffer).toString()).toBe("paid in full");
    expect(fetched.headers["content-type"]).toBe("text/plain; charset=us-ascii"); // no charset added
  });

  it("are application/octet-stream when unlabelled", async () => {
    const url = receiptUrl((await createOrder()).id);
    const stored = await put(harness.app, url, PDF);

    expect(stored.body).toMatchObject({ content_type: "application/octet-stream" });
    expect((await get(url)).headers["content-type"]).toBe("application/octet-stream");
  });

  it("lead to the same bytes with ?redirect=true", async () => {
    // A blob store answers with a signed URL; on disk, with the file itself.
    const url = receiptUrl((await createOrder()).id);
    await put(harness.app, url, PDF, "application/pdf");

    const reply = await get(`${url}?redirect=true`);

    if (store.canSign) {
      expect(reply.status).toBe(307);
      expect(reply.headers["cache-control"]).toBe("no-store");
      const signed = await fetch(String(reply.headers.location));
      expect(signed.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await signed.arrayBuffer()), PDF)).toBe(0);
    } else {
      expect(reply.status).toBe(200);
      expect(Buffer.compare(reply.body as Buffer, PDF)).toBe(0);
    }
  });

  it("are deleted with their order", async () => {
    const order = await createOrder();
    await put(harness.app, receiptUrl(order.id), PDF, "application/pdf");

    expect((await request(harness.app).delete(`/orders/${order.id}`)).status).toBe(204);

    expect(await store.exists(order.id)).toBe(false);
    expect((await request(harness.app).get(receiptUrl(order.id))).status).toBe(404);
  });

  it.each([UNKNOWN_ID, "not-a-uuid"])("do not exist for an unknown order (%s)", async (id) => {
    const url = receiptUrl(id);
    for (const reply of [await put(harness.app, url, PDF, "application/pdf"), await request(harness.app).get(url)]) {
      expect(reply.status).toBe(404);
      expect(errorOf(reply).code).toBe("not_found");
    }
  });

  it("answer 404 for an order without one", async () => {
    const url = receiptUrl((await createOrder()).id);
    for (const query of ["", "?redirect=true"]) {
      const reply = await request(harness.app).get(url + query).redirects(0);
      expect(reply.status).toBe(404);
      expect(errorOf(reply).code).toBe("not_found");
    }
  });

  it("keep a body sent as application/json as sent, valid JSON or not", async () => {
    const order = await createOrder();
    const url = receiptUrl(order.id);
    const bodies = [
      ['{"paid": true, "total_cents": 2599}', 201],
      ['{"paid": ', 200], // a file, not a request to parse: malformed JSON is stored too
    ] as const;
    for (const [content, status] of bodies) {
      // A string goes out as it is (supertest would serialise a Buffer labelled JSON).
      const stored = await request(harness.app).put(url).set("Content-Type", "application/json").send(content);
      expect(stored.status).toBe(status);
      expect(stored.body).toEqual({
        order_id: order.id,
        content_type: "application/json",
        size_bytes: Buffer.byteLength(content),
      });
      const fetched = await get(url);
      expect((fetched.body as Buffer).toString()).toBe(content);
      expect(fetched.headers["content-type"]).toBe("application/json");
    }
  });

  it("are judged before the order: a bad body for an unknown order is still a 422", async () => {
    const empty = await put(harness.app, receiptUrl(UNKNOWN_ID), Buffer.alloc(0), "application/pdf");
    expect(empty.status).toBe(422);
    expect(fieldsOf(empty)).toEqual(["body"]);
    const badType = await put(harness.app, receiptUrl(UNKNOWN_ID), PDF, "pdf");
    expect(badType.status).toBe(422);
    expect(fieldsOf(badType)).toEqual(["content-type"]);
  });

  it("must not be empty", async () => {
    const reply = await put(harness.app, receiptUrl((await createOrder()).id), Buffer.alloc(0), "application/pdf");
    expect(reply.status).toBe(422);
    expect(errorOf(reply).code).toBe("validation_error");
    expect(fieldsOf(reply)).toEqual(["body"]);
  });

  it("need a well-formed Content-Type", async () => {
    const reply = await put(harness.app, receiptUrl((await createOrder()).id), PDF, "pdf");
    expect(reply.status).toBe(422);
    expect(fieldsOf(reply)).toEqual(["content-type"]);
  });

  it("are refused past RECEIPT_MAX_BYTES, declared or streamed", async () => {
    const url = receiptUrl((await createOrder()).id);
    const before = process.env.RECEIPT_MAX_BYTES;
    process.env.RECEIPT_MAX_BYTES = "8";
    const served = await serve(harness.store); // its app reads the environment now
    try {
      const declared = await put(served.app, url, Buffer.from("123456789"), "text/plain");
      // Written in pieces, the body goes chunked, with no Content-Length to go by.
      const chunked = request(served.app).put(url).set("Content-Type", "text/plain");
      chunked.write("12345");
      chunked.write("6789");
      const streamed = await chunked;
      const atLimit = await put(served.app, url, Buffer.from("12345678"), "text/plain");

      for (const reply of [declared, streamed]) {
        expect(reply.status).toBe(413);
        expect(errorOf(reply).code).toBe("payload_too_large");
      }
      expect(atLimit.status).toBe(201);
    } finally {
      if (before === undefined) delete process.env.RECEIPT_MAX_BYTES;
      else process.env.RECEIPT_MAX_BYTES = before;
      await served.close();
    }
  });

  it("are documented in /openapi.json", async () => {
    const document = (await request(harness.app).get("/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths["/orders/{id}/receipt"] ?? {}).sort()).toEqual(["get", "put"]);
  });

  it("have a storage check in /ready", async () => {
    const reply = await request(harness.app).get("/ready");
    expect(reply.body).toMatchObject({ checks: { storage: "ok" } });
  });
});

describe("DirectoryStore", () => {
  const root = join(scratch, "directory-store");

  it("replaces files whole", async () => {
    const directory = new DirectoryStore(join(root, "receipts"));

    expect(await directory.put(UNKNOWN_ID, { content: Buffer.from("first"), contentType: "text/plain" })).toBe(true);
    expect(await directory.put(UNKNOWN_ID, { content: Buffer.from("second\nline"), contentType: "text/csv" })).toBe(false);
    expect(await directory.get(UNKNOWN_ID)).toEqual({ content: Buffer.from("second\nline"), contentType: "text/csv" });
    expect(readdirSync(join(root, "receipts"))).toEqual([UNKNOWN_ID]); // no temporary files

    await directory.delete(UNKNOWN_ID);
    await directory.delete(UNKNOWN_ID); // deleting twice is fine
    expect(await directory.get(UNKNOWN_ID)).toBeUndefined();
  });

  it("keeps every path inside its directory", async () => {
    const directory = new DirectoryStore(join(root, "receipts"));
    await expect(directory.put("../escape", { content: Buffer.from("x"), contentType: "text/plain" })).rejects.toThrow(
      "not an order id",
    );
  });
});
