/** ZodPipe: a body or query string checked by one of the shared zod schemas (a 422 otherwise). */
import type { PipeTransform } from "@nestjs/common";
import type { z } from "zod";

import { validate } from "./envelope.js";

export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    return validate(this.schema, value);
  }
}
