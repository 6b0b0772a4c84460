/**
 * Fastify's glue for the CDN caching policy (`http-caching.ts`): Cache-Control, strong
 * ETags and 304s on order reads, `no-store` on every answer to anything but GET.
 *
 * The ETag must be computed from the bytes the client receives, whichever code sent them
 * (the orders routes or the order cache): an onSend hook sees every payload once it is
 * serialised, so it is applied there, whatever the install order of the extensions.
 */
import type { FastifyInstance } from "fastify";

import type { ExtensionContext } from "./extensions.js";
import { httpCaching, matches, NO_STORE, strongEtag } from "./http-caching.js";

export function install(app: FastifyInstance, context: ExtensionContext): void {
  const caching = httpCaching(context);

  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET") reply.header("Cache-Control", NO_STORE);
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const path = request.url.split("?", 1)[0] ?? "";
    const cacheControl =
      request.method === "GET" && reply.statusCode === 200 ? caching.cacheControlFor(path) : undefined;
    if (cacheControl === undefined || !(typeof payload === "string" || Buffer.isBuffer(payload))) return payload;
    const etag = strongEtag(payload);
    reply.header("ETag", etag).header("Cache-Control", cacheControl);
    const ifNoneMatch = request.headers["if-none-match"];
    if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) {
      // A 304 has no body, so none of the headers that describe one (RFC 9110, 15.4.5).
      for (const header of ["Content-Type", "Content-Length", "Content-Encoding"]) reply.removeHeader(header);
      reply.code(304);
      return null;
    }
    return payload;
  });
}
