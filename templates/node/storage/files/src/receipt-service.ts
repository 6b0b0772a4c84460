/**
 * What every framework's receipt routes share: the store, opened once with its `storage`
 * readiness check, the removal of a deleted order's receipt and the routes' entries in
 * `/openapi.json` (`startReceipts`); the checks of an upload (`checkReceipt`); and the
 * routes' refusals. Each framework's `receipts.ts` reads the body its own way and adds
 * the routes.
 */
import { ApiError } from "./envelope.js";
import type { ExtensionContext } from "./extensions.js";
import { DEFAULT_CONTENT_TYPE, type Receipt, type ReceiptStore } from "./receipt-store.js";
import { openReceiptStore, receiptSettings, type ReceiptSettings } from "./receipt-settings.js";

// `type/subtype` with optional parameters; stored as sent and sent back as it was stored.
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+([ \t]*;[\x20-\x7e\t]*)?$/;
const MAX_CONTENT_TYPE_LENGTH = 255;

export function tooLarge(limit: number): ApiError {
  return new ApiError(413, "payload_too_large", `A receipt may hold at most ${limit} bytes.`);
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(422, "validation_error", "The request failed validation; see details.", [{ field, message }]);
}

export function badContentType(): ApiError {
  return invalid("content-type", "must be a media type such as application/pdf");
}

export function noReceipt(orderId: string): ApiError {
  return new ApiError(404, "not_found", `The order ${orderId} has no receipt.`);
}

/** The upload as the client sent it (no type is `application/octet-stream`), once checked. */
export function checkReceipt(content: Buffer | undefined, header: string | undefined): Receipt {
  const contentType = (header ?? "").trim() || DEFAULT_CONTENT_TYPE;
  if (contentType.length > MAX_CONTENT_TYPE_LENGTH || !MEDIA_TYPE.test(contentType)) {
    throw badContentType();
  }
  if (content === undefined || content.length === 0) throw invalid("body", "the receipt must not be empty");
  return { content, contentType };
}

/** What the routes work with. */
export interface Receipts {
  store: ReceiptStore;
  settings: ReceiptSettings;
  /** The order's id as stored; a 404 for an id that names no order (any non-UUID included). */
  orderId: (id: string) => Promise<string>;
}

/** Open the receipts' store, with its readiness check, cleanup on delete and API document. */
export function startReceipts(context: ExtensionContext): Receipts {
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

  return {
    store,
    settings,
    orderId: async (id) => {
      const order = await context.store.get(id);
      if (order === undefined) throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
      await started;
      return order.id;
    },
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
