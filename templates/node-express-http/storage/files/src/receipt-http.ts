/**
 * Order receipts (`receipt-service.ts`) on Express's request and response: the body read
 * raw, exactly as sent, and the stored file (or a redirect to it) sent back.
 */
import type { Request, Response } from "express";

import { checkReceipt, noReceipt, tooLarge, type Receipts } from "./receipt-service.js";
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
 * The body and its type, as the client sent them, up to RECEIPT_MAX_BYTES. No body parser
 * runs on this route (the app parses JSON only on the routes that take it), so a JSON
 * receipt arrives unread too.
 */
export async function readReceipt(req: Request, limit: number): Promise<Receipt> {
  return checkReceipt(await readBody(req, limit), req.headers["content-type"]);
}

/**
 * Answer `GET /orders/<key>/receipt`: the file as stored, or with `redirect` a 307 to a
 * short-lived signed URL when the store can sign one.
 */
export async function sendReceipt(
  { store, settings }: Receipts,
  key: string,
  redirect: boolean,
  res: Response,
): Promise<void> {
  if (redirect && store.canSign) {
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
