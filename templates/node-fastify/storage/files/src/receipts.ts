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

import { allowOnly, errorHandler } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import {
  badContentType,
  checkReceipt,
  noReceipt,
  startReceipts,
  tooLarge,
  type Receipts,
} from "./receipt-service.js";
import type { Receipt } from "./receipt-store.js";

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
function readReceipt(content: Buffer | typeof OVERSIZED | undefined, header: string | undefined, limit: number): Receipt {
  if (content === OVERSIZED) throw tooLarge(limit);
  return checkReceipt(content, header);
}

interface ReceiptRoute {
  Params: { id: string };
  Querystring: { redirect?: string };
  Body: Buffer | typeof OVERSIZED | undefined;
}

function receiptRoutes({ store, settings, orderId }: Receipts): FastifyPluginCallback {
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
      const receipt = readReceipt(request.body, request.headers["content-type"], settings.maxBytes);
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

/** Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete. */
export function install(app: FastifyInstance, context: ExtensionContext): void {
  void app.register(receiptRoutes(startReceipts(context)));
}
