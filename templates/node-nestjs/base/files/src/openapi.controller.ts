/**
 * `/openapi.json`: the shared OpenAPI document (openapi.ts), built from the same zod
 * schemas the routes validate with, plus what each add-on documents. It is the API's
 * contract, the same for every stack, so @nestjs/swagger does not generate another.
 */
import { All, Controller, Get, Inject, Req } from "@nestjs/common";
import type { Request } from "express";

import { MethodNotAllowedError } from "./errors.js";
import { OPENAPI_DOCUMENT } from "./tokens.js";

@Controller("openapi.json")
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: object) {}

  @Get()
  get(): object {
    return this.document;
  }

  @All()
  other(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET");
  }
}
