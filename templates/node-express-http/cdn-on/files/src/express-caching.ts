/**
 * The CDN caching policy (`http-caching.ts`) on Express's request and response:
 * Cache-Control, strong ETags and 304s on order reads, `no-store` on every answer to
 * anything but GET.
 *
 * The ETag must be computed from the bytes the client receives, whichever code sent them
 * (the orders routes or the order cache, which may answer first). So it is applied in
 * `res.send()` of the app's own response prototype (`app.response`), which every JSON
 * answer goes through, instead of in a middleware whose place in the chain would depend
 * on the install order.
 */
import type { Express, NextFunction, Request, Response } from "express";

import { matches, NO_STORE, strongEtag, type HttpCaching } from "./http-caching.js";

/** Middleware: nothing but a GET may be stored by a cache on the way. */
export function noStoreUnlessGet(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== "GET") res.set("Cache-Control", NO_STORE);
  next();
}

/** Validators on every 200 answer to a cacheable GET, and a 304 when the client has it. */
export function addValidators(app: Express, caching: HttpCaching): void {
  const send = app.response.send;
  app.response.send = function sendWithValidators(this: Response, body?: unknown): Response {
    const path = this.req.originalUrl.split("?")[0] ?? "";
    const cacheControl =
      this.req.method === "GET" && this.statusCode === 200 ? caching.cacheControlFor(path) : undefined;
    if (cacheControl === undefined || !(typeof body === "string" || Buffer.isBuffer(body))) {
      return send.call(this, body);
    }
    const etag = strongEtag(body);
    this.set({ ETag: etag, "Cache-Control": cacheControl });
    const ifNoneMatch = this.req.get("If-None-Match");
    if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) {
      // A 304 has no body, so none of the headers that describe one (RFC 9110, 15.4.5).
      for (const header of ["Content-Type", "Content-Length", "Content-Encoding"]) this.removeHeader(header);
      this.status(304).end();
      return this;
    }
    return send.call(this, body);
  };
}
