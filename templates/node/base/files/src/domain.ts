/** The order's life cycle, the same whichever database keeps the orders. */

export const ORDER_STATUSES = ["pending", "paid", "shipped", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The order state machine: the statuses each status may change to. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["shipped", "cancelled"],
  shipped: [],
  cancelled: [],
};

/** The order's current status does not lead to the one asked for. */
export class InvalidTransitionError extends Error {
  constructor(
    readonly current: OrderStatus,
    readonly wanted: OrderStatus,
  ) {
    super(`An order cannot change from ${current} to ${wanted}.`);
    this.name = "InvalidTransitionError";
  }
}

/** Throw `InvalidTransitionError` unless `current` may change to `wanted`. */
export function checkTransition(current: OrderStatus, wanted: OrderStatus): void {
  if (!TRANSITIONS[current].includes(wanted)) {
    throw new InvalidTransitionError(current, wanted);
  }
}

export interface OrderItem {
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

export interface Order {
  id: string;
  customer_email: string;
  items: OrderItem[];
  total_cents: number;
  status: OrderStatus;
  created_at: string; // ISO 8601, UTC, milliseconds
}

export interface OrderPage {
  items: Order[];
  total: number;
  limit: number;
  offset: number;
}
