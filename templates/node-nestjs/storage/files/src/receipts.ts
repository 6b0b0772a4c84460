/**
 * Order receipts: one file per order, in the blob store or, by default, on local disk.
 *
 * `PUT /orders/:id/receipt` stores the request body exactly as sent, with its Content-Type;
 * `GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
 * large download goes from the blob store to the client without passing through the app.
 * Deleting an order deletes its receipt (an `order.deleted` subscriber).
 *
 * No body parser runs on this route, so the controller reads the raw bytes itself (JSON
 * too), up to RECEIPT_MAX_BYTES. Only a blob store can sign URLs; on disk,
 * `?redirect=true` serves the file itself.
 */
import { All, Controller, Get, Inject, Module, Param, Put, Query, Req, Res, type DynamicModule } from "@nestjs/common";
import type { Request, Response } from "express";

import { ApiError } from "./envelope.js";
import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { DEFAULT_CONTENT_TYPE, type Receipt, type ReceiptStore } from "./receipt-store.js";
import { openReceiptStore, receiptSettings, type ReceiptSettings } from "./receipt-settings.js";
import type { OrderStore } from "./store.js";
import { ORDER_STORE } from "./tokens.js";

// `type/subtype` with optional parameters; stored as sent and sent back as it was stored.
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+([ \t]*;[\x20-\x7e\t]*)?$/;
const MAX_CONTENT_TYPE_LENGTH = 255;

const RECEIPTS = Symbol("Receipts");

/** What the controller is given: the store, its settings, and the creation of a missing bucket. */
interface Receipts {
  store: ReceiptStore;
  settings: ReceiptSettings;
  started: Promise<void>;
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "payload_too_large", `A receipt may hold at most ${limit} bytes.`);
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(422, "validation_error", "The request failed validation; see details.", [{ field, message }]);
}

function noReceipt(orderId: string): ApiError {
  return new ApiError(404, "not_found", `The order ${orderId} has no receipt.`);
}

/**
 * The request body, or a 413 once it grows (or is declared) past `limit`. A body too
 * large is still read to its end and dropped, so the client gets the answer rather
 * than a broken pipe while it is still sending.
 */
function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"] ?? "";
  let oversized = /^\d+$/.test(declared) && Number(declared) > limit;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) oversized = true;
      if (!oversized) chunks.push(chunk);
    });
    req.on("end", () => {
      if (oversized) reject(tooLarge(limit));
      else resolve(Buffer.concat(chunks, size));
    });
    req.on("error", reject);
  });
}

/**
 * The body and its type, as the client sent them. No body parser runs on this route (the
 * app parses JSON only on the routes that take it), so a JSON receipt arrives unread too.
 */
async function readReceipt(req: Request, limit: number): Promise<Receipt> {
  const content = await readBody(req, limit);
  const contentType = (req.headers["content-type"] ?? "").trim() || DEFAULT_CONTENT_TYPE;
  if (contentType.length > MAX_CONTENT_TYPE_LENGTH || !MEDIA_TYPE.test(contentType)) {
    throw invalid("content-type", "must be a media type such as application/pdf");
  }
  if (content.length === 0) throw invalid("body", "the receipt must not be empty");
  return { content, contentType };
}

@Controller("orders/:id/receipt")
export class ReceiptsController {
  constructor(
    @Inject(ORDER_STORE) private readonly orders: OrderStore,
    @Inject(RECEIPTS) private readonly receipts: Receipts,
  ) {}

  /** The order's id as stored; a 404 for an id that names no order (any non-UUID included). */
  private async orderId(id: string): Promise<string> {
    const order = await this.orders.get(id);
    if (order === undefined) throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
    await this.receipts.started;
    return order.id;
  }

  @Put()
  async put(
    @Param("id") id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ order_id: string; content_type: string; size_bytes: number }> {
    const { store, settings } = this.receipts;
    // The body first, as the contract says, then the order.
    const receipt = await readReceipt(req, settings.maxBytes);
    const key = await this.orderId(id);
    // Nest answers a PUT with 200 unless told otherwise.
    if (await store.put(key, receipt)) {
      res.status(201).location(`/orders/${key}/receipt`);
    }
    return { order_id: key, content_type: receipt.contentType, size_bytes: receipt.content.length };
  }

  @Get()
  async get(@Param("id") id: string, @Query("redirect") redirect: unknown, @Res() res: Response): Promise<void> {
    const { store, settings } = this.receipts;
    const key = await this.orderId(id);
    if (redirect === "true" && store.canSign) {
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
  }

  @All()
  other(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET", "PUT");
  }
}

// A Nest module is its decorator: the class itself holds nothing.
@Module({})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class ReceiptsModule {}

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

/** The receipt routes, a `storage` readiness check, and receipt cleanup on delete. */
export function install(context: ExtensionContext): DynamicModule {
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
    module: ReceiptsModule,
    controllers: [ReceiptsController],
    providers: [{ provide: RECEIPTS, useValue: { store, settings, started } satisfies Receipts }],
  };
}
