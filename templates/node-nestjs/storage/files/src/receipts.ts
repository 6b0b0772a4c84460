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

import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { checkReceipt, noReceipt, startReceipts, tooLarge, type Receipts } from "./receipt-service.js";
import type { Receipt } from "./receipt-store.js";

const RECEIPTS = Symbol("Receipts");

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
  return checkReceipt(await readBody(req, limit), req.headers["content-type"]);
}

@Controller("orders/:id/receipt")
export class ReceiptsController {
  constructor(@Inject(RECEIPTS) private readonly receipts: Receipts) {}

  @Put()
  async put(
    @Param("id") id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ order_id: string; content_type: string; size_bytes: number }> {
    const { store, settings } = this.receipts;
    // The body first, as the contract says, then the order.
    const receipt = await readReceipt(req, settings.maxBytes);
    const key = await this.receipts.orderId(id);
    // Nest answers a PUT with 200 unless told otherwise.
    if (await store.put(key, receipt)) {
      res.status(201).location(`/orders/${key}/receipt`);
    }
    return { order_id: key, content_type: receipt.contentType, size_bytes: receipt.content.length };
  }

  @Get()
  async get(@Param("id") id: string, @Query("redirect") redirect: unknown, @Res() res: Response): Promise<void> {
    const { store, settings } = this.receipts;
    const key = await this.receipts.orderId(id);
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

/** The receipt routes, a `storage` readiness check, and receipt cleanup on delete. */
export function install(context: ExtensionContext): DynamicModule {
  return {
    module: ReceiptsModule,
    controllers: [ReceiptsController],
    providers: [{ provide: RECEIPTS, useValue: startReceipts(context) }],
  };
}
