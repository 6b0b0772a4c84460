/**
 * Order receipts: one file per order, in the blob store or, by default, on local disk.
 *
 * `PUT /orders/:id/receipt` stores the request body exactly as sent, with its Content-Type;
 * `GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
 * large download goes from the blob store to the client without passing through the app.
 * Deleting an order deletes its receipt (an `order.deleted` subscriber).
 *
 * No body parser runs on this route: `receipt-http.ts` reads the raw bytes (JSON too). Only
 * a blob store can sign URLs; on disk, `?redirect=true` serves the file itself.
 */
import { All, Controller, Get, Inject, Module, Param, Put, Query, Req, Res, type DynamicModule } from "@nestjs/common";
import type { Request, Response } from "express";

import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { readReceipt, sendReceipt } from "./receipt-http.js";
import { startReceipts, type Receipts } from "./receipt-service.js";

const RECEIPTS = Symbol("Receipts");

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
    await sendReceipt(this.receipts, await this.receipts.orderId(id), redirect === "true", res);
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
