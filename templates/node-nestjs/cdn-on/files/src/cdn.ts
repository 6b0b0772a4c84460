/**
 * NestJS's glue for the CDN caching policy (`http-caching.ts`): Cache-Control, strong
 * ETags and 304s on order reads, `no-store` on every answer to anything but GET.
 *
 * The ETag must be computed from the bytes the client receives, whichever code sent them
 * (the orders routes or the order cache's middleware, which may run first). So it is
 * applied in `res.send()` of this app's own Express response prototype (`app.response`),
 * which every JSON answer goes through (Nest answers with `res.json()` or `res.send()`),
 * instead of in a middleware whose place in the chain would depend on the install order.
 */
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { Express, NextFunction, Request, Response } from "express";

import type { ExtensionContext } from "./extensions.js";
import { httpCaching, matches, NO_STORE, strongEtag, type HttpCaching } from "./http-caching.js";

const HTTP_CACHING = Symbol("HttpCaching");

function noStore(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== "GET") res.set("Cache-Control", NO_STORE);
  next();
}

@Module({})
export class CdnModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(HTTP_CACHING) private readonly caching: HttpCaching,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(noStore).forRoutes({ path: "{*path}", method: RequestMethod.ALL });
  }

  /** Before the app serves anything: validators on every 200 answer to a cacheable GET. */
  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    const caching = this.caching;
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
}

export function install(context: ExtensionContext): DynamicModule {
  return { module: CdnModule, providers: [{ provide: HTTP_CACHING, useValue: httpCaching(context) }] };
}
