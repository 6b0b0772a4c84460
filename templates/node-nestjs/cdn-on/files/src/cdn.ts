/**
 * NestJS's glue for the CDN caching policy (`express-caching.ts`): its middleware on every
 * route, and the validators on the Express app under Nest before it serves anything.
 */
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnModuleInit } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import type { Express } from "express";

import { addValidators, noStoreUnlessGet } from "./express-caching.js";
import type { ExtensionContext } from "./extensions.js";
import { httpCaching, type HttpCaching } from "./http-caching.js";

const HTTP_CACHING = Symbol("HttpCaching");

@Module({})
export class CdnModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(HTTP_CACHING) private readonly caching: HttpCaching,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(noStoreUnlessGet).forRoutes({ path: "{*path}", method: RequestMethod.ALL });
  }

  onModuleInit(): void {
    addValidators(this.adapterHost.httpAdapter.getInstance<Express>(), this.caching);
  }
}

export function install(context: ExtensionContext): DynamicModule {
  return { module: CdnModule, providers: [{ provide: HTTP_CACHING, useValue: httpCaching(context) }] };
}
