/**
 * Order receipts: one file per order, in the blob store or, by default, on local disk.
 *
 * `PUT /orders/:id/receipt` stores the request body exactly as sent, with its Content-Type;
 * `GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
 * large download goes from the blob store to the client without passing through the app.
 * Deleting an order deletes its receipt (an `order.deleted` subscriber).
 *
 * Only a blob store can sign URLs; on disk, `?redirect=true` serves the file itself.
 */
import type { Express, Request } from "express";
import { Router } from "express";

import { methodNotAllowed } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { checkReceipt, noReceipt, startReceipts, tooLarge, type Receipts } from "./receipt-service.js";
import type { Receipt } from "./receipt-store.js";

/** The request body, refused as soon as it grows past `limit` (the rest is left to drain). */
function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"] ?? "";
  if (/^\d+$/.test(declared) && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit)); // no need to read what cannot be kept
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.resume(); // discard the rest, so the connection can answer and stay usable
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/**
 * The body and its type, as the client sent them. No body parser runs on this route (the
 * app parses JSON only on the routes that take it), so a JSON receipt arrives unread too.
 */
async function readReceipt(req: Request, limit: number): Promise<Receipt> {
  return checkReceipt(await readBody(req, limit), req.headers["content-type"]);
}

function receiptsRouter({ store, settings, orderId }: Receipts): Router {
  const router = Router();

  router
    .route("/orders/:id/receipt")
    .put(async (req, res) => {
      // The body first, as the contract says: a bad one is refused whatever the order.
      const receipt = await readReceipt(req, settings.maxBytes);
      const key = await orderId(req.params.id);
      if (await store.put(key, receipt)) {
        res.status(201).location(`/orders/${key}/receipt`);
      }
      res.json({ order_id: key, content_type: receipt.contentType, size_bytes: receipt.content.length });
    })
    .get(async (req, res) => {
      const key = await orderId(req.params.id);
      if (req.query.redirect === "true" && store.canSign) {
        if (!(await store.exists(key))) throw noReceipt(key);
        const url = await store.signedUrl(key, settings.urlExpiresSeconds);
        // Raw headers: Express would re-encode the signed URL. The URL stops working; never reuse it.
        res.status(307).setHeader("Location", url);
        res.setHeader("Cache-Control", "no-store");
        res.end();
        return;
      }
      const receipt = await store.get(key);
      if (receipt === undefined) throw noReceipt(key);
      // A raw header, as Express's res.type() would add a charset: the type goes back as sent.
      res.status(200).setHeader("Content-Type", receipt.contentType);
      res.setHeader("Content-Length", receipt.content.length);
      res.end(receipt.content);
    })
    .all(methodNotAllowed("GET", "PUT"));

  return router;
}

/** Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete. */
export function install(app: Express, context: ExtensionContext): void {
  app.use(receiptsRouter(startReceipts(context)));
}
