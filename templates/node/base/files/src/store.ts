/**
 * The order store: the one interface through which the app reads and writes orders.
 *
 * `openStore()` picks the implementation from DATABASE_URL; the routes use only this
 * interface, so they never depend on which database answers.
 */
import { createKnex } from "./db.js";
import type { Order, OrderPage, OrderStatus } from "./domain.js";
import type { OrderCreate } from "./schemas.js";
import { SqlOrderStore } from "./sql-store.js";

export interface OrderStore {
  /** "sql", or the name of another database. */
  readonly kind: string;
  /** Bring the schema up to date. */
  migrate(): Promise<void>;
  add(order: OrderCreate): Promise<Order>;
  /** Newest first. */
  page(limit: number, offset: number): Promise<OrderPage>;
  /** The order, or undefined for an unknown id (any string may be asked for). */
  get(id: string): Promise<Order | undefined>;
  /** The changed order, undefined for an unknown id; throws `InvalidTransitionError`. */
  changeStatus(id: string, status: OrderStatus): Promise<Order | undefined>;
  /** The order as it was before deletion, or undefined for an unknown id. */
  delete(id: string): Promise<Order | undefined>;
  /** Delete every order and everything recorded about orders (the tests start here). */
  clear(): Promise<void>;
  /** Reject unless the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store for DATABASE_URL; it connects lazily, so this never blocks. */
export function openStore(databaseUrl: string): OrderStore {
  return new SqlOrderStore(createKnex(databaseUrl));
}
