/** Request bodies and query strings of the orders API, with the contract's validation rules. */
import { z } from "zod";

import { ORDER_STATUSES } from "./domain.js";

// Storage limits, not business rules: item numbers fit a 32-bit column. A total must stay
// an exact JavaScript number (2^53 - 1), which also fits the 64-bit column that holds it.
export const INT32_MAX = 2 ** 31 - 1;
export const TOTAL_MAX = Number.MAX_SAFE_INTEGER;

// JSON integers only: "2" or 2.0001 is a client bug worth reporting, not guessing at.
const quantity = z.int().min(1).max(INT32_MAX);
const priceCents = z.int().min(0).max(INT32_MAX);

export const orderItemIn = z.object({
  sku: z.string().min(1).max(64),
  quantity,
  unit_price_cents: priceCents,
});

/** A new order; unknown fields are ignored (zod strips them). */
export const orderCreate = z.object({
  customer_email: z.email().max(320),
  items: z
    .array(orderItemIn)
    .min(1)
    .max(100)
    .refine((items) => totalCents(items) <= TOTAL_MAX, "the order total is too large"),
});
export type OrderCreate = z.infer<typeof orderCreate>;

export const statusChange = z.object({ status: z.enum(ORDER_STATUSES) });

/** A query-string integer: digits only, so "10abc", "1.5" and "1e3" are refused. */
function queryInt(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^-?\d+$/, "expected an integer")
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .default(fallback);
}

export const pageQuery = z.object({
  limit: queryInt(1, 100, 20),
  offset: queryInt(0, Number.MAX_SAFE_INTEGER, 0),
});

export function totalCents(items: readonly { quantity: number; unit_price_cents: number }[]) {
  return items.reduce((sum, item) => sum + item.quantity * item.unit_price_cents, 0);
}

// Response bodies: the OpenAPI document is built from these, and the tests check
// responses against them.
export const orderItemOut = z.object({
  sku: z.string(),
  quantity: z.int(),
  unit_price_cents: z.int(),
});

export const orderOut = z.object({
  id: z.uuid(),
  customer_email: z.string(),
  items: z.array(orderItemOut),
  total_cents: z.int(),
  status: z.enum(ORDER_STATUSES),
  created_at: z.iso.datetime({ offset: true }),
});

export const orderPage = z.object({
  items: z.array(orderOut),
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).nullable(),
  }),
});
