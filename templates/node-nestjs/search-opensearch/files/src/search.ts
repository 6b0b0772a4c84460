/** The order search in NestJS: GET /orders/search over the backend of order-search.ts. */
import { All, Controller, Get, Inject, Module, Query, Req, type DynamicModule } from "@nestjs/common";
import type { Request } from "express";
import type { z } from "zod";

import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { SEARCH_PATH, searchQuery, startSearch, type SearchBackend } from "./order-search.js";
import { ZodPipe } from "./zod.pipe.js";

const SEARCH_BACKEND = Symbol("SearchBackend");

/** Its module is imported before OrdersModule, so `/orders/search` is never taken for an order id. */
@Controller("orders/search")
export class SearchController {
  constructor(@Inject(SEARCH_BACKEND) private readonly backend: SearchBackend) {}

  @Get()
  search(@Query(new ZodPipe(searchQuery)) query: z.output<typeof searchQuery>): ReturnType<SearchBackend["search"]> {
    return this.backend.search(query.q, query.limit, query.offset);
  }

  @All()
  other(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET");
  }
}

// A Nest module is its decorator: the class itself holds nothing.
@Module({})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class SearchModule {}

export function install(context: ExtensionContext): DynamicModule {
  const backend = startSearch(context);
  context.api.paths["/orders/search"] = SEARCH_PATH;
  return { module: SearchModule, controllers: [SearchController], providers: [{ provide: SEARCH_BACKEND, useValue: backend }] };
}
