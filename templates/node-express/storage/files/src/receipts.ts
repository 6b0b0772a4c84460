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
import type { Express } from "express";
import { Router } from "express";

import { methodNotAllowed } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { readReceipt, sendReceipt } from "./receipt-http.js";
import { startReceipts, type Receipts } from "./receipt-service.js";

function receiptsRouter(receipts: Receipts): Router {
  const { store, settings, orderId } = receipts;
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
      await sendReceipt(receipts, await orderId(req.params.id), req.query.redirect === "true", res);
    })
    .all(methodNotAllowed("GET", "PUT"));

  return router;
}

/** Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete. */
export function install(app: Express, context: ExtensionContext): void {
  app.use(receiptsRouter(startReceipts(context)));
}
