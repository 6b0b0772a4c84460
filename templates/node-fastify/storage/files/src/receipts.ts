/**
 * Order receipts: one file per order, in the blob store or, by default, on local disk.
 *
 * `PUT /orders/:id/receipt` stores the request body exactly as sent, with its Content-Type;
 * `GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
 * large download goes from the blob store to the client without passing through the app.
 * Deleting an order deletes its receipt (an `order.deleted` subscriber).
 *
 * The routes live in a plugin of their own, whose only content-type parser takes any type
 * (JSON included) as raw bytes, up to RECEIPT_MAX_BYTES: the rest of the app keeps parsing
 * JSON. Only a blob store can sign URLs; on disk, `?redirect=true` serves the file itself.
 */
import type { IncomingMessage } from "node:http";

import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyRequest } from "fastify";

import { ApiError } from "./envelope.js";
import { allowOnly, errorHandler } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { DEFAULT_CONTENT_TYPE, type Receipt, type ReceiptStore } from "./receipt-store.js";
import { openReceiptStore, receiptSettings, type ReceiptSettings } from "./receipt-settings.js";

// `type/subtype` with optional parameters; stored as sent and sent back as it was stored.
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+([ \t]*;[\x20-\x7e\t]*)?$/;
const MAX_CONTENT_TYPE_LENGTH = 255;

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "payload_too_large", `A receipt may hold at most ${limit} bytes.`);
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(422, "validation_error", "The request failed validation; see details.", [{ field, message }]);
}

function badContentType(): ApiError {
  return invalid("content-type", "must be a media type such as application/pdf");
}

function noReceipt(orderId: string): ApiError {
  return new ApiError(404, "not_found", `The order ${orderId} has no receipt.`);
}

/** What the parser hands the handler for a body past the limit. */
const OVERSIZED = Symbol("oversized");

/**
 * The request body, or OVERSIZED once it grows (or is declared) past `limit`: the rest is
 * read and dropped, not kept. Fastify closes the connection when a parser fails, which a
 * client still sending its body sees as a broken pipe, not as the 413; so the parser
 * never fails for size, and the handler answers the 413 once the body is in.
 */
function readBody(payload: IncomingMessage, limit: number): Promise<Buffer | typeof OVERSIZED> {
  const declared = payload.headers["content-length"] ?? "";
  let oversized = /^\d+$/.test(declared) && Number(declared) > limit;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) oversized = true;
      if (!oversized) chunks.push(chunk);
    });
    payload.on("end", () => {
      resolve(oversized ? OVERSIZED : Buffer.concat(chunks, size));
    });
    payload.on("error", reject);
  });
}

/** The body (none when the request has none) and its type, as the client sent them. */
function checkReceipt(content: Buffer | typeof OVERSIZED | undefined, header: string | undefined, limit: number): Receipt {
  if (content === OVERSIZED) throw tooLarge(limit);
  const contentType = (header ?? "").trim() || DEFAULT_CONTENT_TYPE;
  if (contentType.length > MAX_CONTENT_TYPE_LENGTH || !MEDIA_TYPE.test(contentType)) {
    throw badContentType();
  }
  if (content === undefined || content.length === 0) throw invalid("body", "the receipt must not be empty");
  return { content, contentType };
}

interface ReceiptRoute {
  Params: { id: string };
  Querystring: { redirect?: string };
  Body: Buffer | typeof OVERSIZED | undefined;
}

function receiptRoutes(
  context: ExtensionContext,
  store: ReceiptStore,
  settings: ReceiptSettings,
  started: Promise<void>,
): FastifyPluginCallback {
  /** The order's id as stored; a 404 for an id that names no order (any non-UUID included). */
  async function orderId(id: string): Promise<string> {
    const order = await context.store.get(id);
    if (order === undefined) throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
    await started;
    return order.id;
  }

  return (scope, _options, done) => {
    // In this plugin only: every body, whatever its type, as bytes. Fastify runs the
    // parser before the handler, so a too-large body is refused before the order is read,
    // as the contract says.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request: FastifyRequest, payload: IncomingMessage) =>
      readBody(payload, settings.maxBytes),
    );
    // Fastify refuses a Content-Type it cannot parse (such as `pdf`) with a 415 before
    // any parser runs; for a receipt that is the contract's 422 on the content-type field.
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      await errorHandler(error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? badContentType() : error, request, reply);
    });

    scope.put<ReceiptRoute>("/orders/:id/receipt", async (request, reply) => {
      // The body first, as the contract says (the parser has already refused one too large).
      const receipt = checkReceipt(request.body, request.headers["content-type"], settings.maxBytes);
      const key = await orderId(request.params.id);
      if (await store.put(key, receipt)) {
        reply.code(201).header("Location", `/orders/${key}/receipt`);
      }
      return { order_id: key, content_type: receipt.contentType, size_bytes: receipt.content.length };
    });
    scope.get<ReceiptRoute>("/orders/:id/receipt", async (request, reply) => {
      const key = await orderId(request.params.id);
      if (request.query.redirect === "true" && store.canSign) {
        if (!(await store.exists(key))) throw noReceipt(key);
        const url = await store.signedUrl(key, settings.urlExpiresSeconds);
        // The URL stops working; never reuse it.
        return reply.code(307).header("Location", url).header("Cache-Control", "no-store").send();
      }
      const receipt = await store.get(key);
      if (receipt === undefined) throw noReceipt(key);
      // Fastify adds no charset to a Buffer's type: the type goes back as it was stored.
      return reply.code(200).header("Content-Type", receipt.contentType).send(receipt.content);
    });
    allowOnly(scope, "/orders/:id/receipt", "GET", "PUT");
    done();
  };
}

const binary = { "*/*": { schema: { type: "string", format: "binary" } } };
const errorRef = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
});

function document(context: ExtensionContext): void {
  const parameters = [
    { name: "id", in: "path", required: true, description: "The order's UUID.", schema: { type: "string" } },
  ];
  const stored = { content: { "application/json": { schema: { $ref: "#/components/schemas/ReceiptOut" } } } };
  context.api.schemas.ReceiptOut = {
    type: "object",
    properties: {
      order_id: { type: "string" },
      content_type: { type: "string" },
      size_bytes: { type: "integer" },
    },
    required: ["order_id", "content_type", "size_bytes"],
  };
  context.api.paths["/orders/{id}/receipt"] = {
    put: {
      tags: ["receipts"],
      summary: "Store the body as the order's receipt: 201 the first time, 200 when replacing",
      parameters,
      requestBody: { required: true, content: binary },
      responses: {
        "200": { description: "Replaced the order's earlier receipt", ...stored },
        "201": {
          description: "Stored the first receipt",
          headers: { Location: { description: "/orders/{id}/receipt", schema: { type: "string" } } },
          ...stored,
        },
        "404": errorRef("No such order"),
        "413": errorRef("The receipt is larger than RECEIPT_MAX_BYTES"),
        "422": errorRef("Empty body or malformed Content-Type"),
      },
    },
    get: {
      tags: ["receipts"],
      summary: "Read the order's receipt, or a short-lived signed URL to it",
      parameters: [
        ...parameters,
        {
          name: "redirect",
          in: "query",
          description: "Prefer a 307 to a short-lived signed URL, where possible.",
          schema: { type: "boolean", default: false },
        },
      ],
      responses: {
        "200": { description: "The receipt, with the Content-Type it was stored with", content: { "*/*": {} } },
        "307": {
          description: "With `redirect=true` and a bucket that can sign: a signed URL",
          headers: { Location: { description: "The signed URL", schema: { type: "string" } } },
        },
        "404": errorRef("No such order, or it has no receipt"),
      },
    },
  };
}

/** Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete. */
export function install(app: FastifyInstance, context: ExtensionContext): void {
  const settings = receiptSettings(context.environment);
  const store = openReceiptStore(context.environment, settings);
  // With createMissing, the first ping creates the bucket; the routes wait for it.
  const started = store.createMissing
    ? store.ping().catch((error: unknown) => {
        context.logger.warn({ err: error }, "could not check or create the receipts' store");
      })
    : Promise.resolve();

  context.readyChecks.storage = () => store.ping();
  context.events.subscribe(async (event, order) => {
    if (event === "order.deleted") await store.delete(order.id);
  });
  context.onClose(() => store.close());
  document(context);
  void app.register(receiptRoutes(context, store, settings, started));
}
