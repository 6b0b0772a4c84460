/**
 * Express's glue for the CDN caching policy (`http-caching.ts`): Cache-Control, strong
 * ETags and 304s on order reads, `no-store` on every answer to anything but GET.
 *
 * The ETag must be computed from the bytes the client receives, whichever code sent them
 * (the orders routes or the order cache). So it is applied in `res.send()` of this app's
 * own response prototype (`app.response`), which every JSON answer goes through, instead
 * of in a middleware whose place in the chain would depend on the install order.
 */
import type { Express, Response } from "express";

import type { ExtensionContext } from "./extensions.js";
import { httpCaching, matches, NO_STORE, strongEtag } from "./http-caching.js";

export function install(app: Express, context: ExtensionContext): void {
  const caching = httpCaching(context);

  app.use((req, res, next) => {
    if (req.method !== "GET") res.set("Cache-Control", NO_STORE);
    next();
  });

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
