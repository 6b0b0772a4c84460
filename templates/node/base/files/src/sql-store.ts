/** The order store on Knex: SQLite, PostgreSQL and MySQL/MariaDB alike. */
import { randomUUID } from "node:crypto";

import type { Knex } from "knex";

import { checkTransition, type Order, type OrderPage, type OrderStatus } from "./domain.js";
import { migrationSource } from "./migrations/index.js";
import { totalCents, type OrderCreate } from "./schemas.js";
import type { OrderStore } from "./store.js";

export interface OrderRow {
  id: string;
  customer_email: string;
  total_cents: number | string; // PostgreSQL hands bigint columns back as strings
  status: OrderStatus;
  created_at: Date | number | string; // a Date, or SQLite's stored form
}

export interface ItemRow {
  order_id: string;
  position: number;
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A status change races another only when both read the same status; a few rounds settle it.
const MAX_STATUS_ATTEMPTS = 5;

/** The id as stored (lower case); undefined when it cannot be an order's. */
function canonicalId(id: string): string | undefined {
  return UUID.test(id) ? id.toLowerCase() : undefined;
}

export function toOrder(row: OrderRow, items: ItemRow[]): Order {
  return {
    id: row.id,
    customer_email: row.customer_email,
    items: items.map(({ sku, quantity, unit_price_cents }) => ({ sku, quantity, unit_price_cents })),
    total_cents: Number(row.total_cents),
    status: row.status,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export class SqlOrderStore implements OrderStore {
  readonly kind = "sql";

  constructor(readonly db: Knex) {}

  async migrate(): Promise<void> {
    await this.db.migrate.latest({ migrationSource });
  }

  async add(order: OrderCreate): Promise<Order> {
    const row: OrderRow = {
      id: randomUUID(),
      customer_email: order.customer_email,
      total_cents: totalCents(order.items),
      status: "pending",
      created_at: new Date(),
    };
    const items: ItemRow[] = order.items.map((item, position) => ({
      order_id: row.id,
      position,
      sku: item.sku,
      quantity: item.quantity,
      unit_price_cents: item.unit_price_cents,
    }));
    await this.db.transaction(async (trx) => {
      await trx<OrderRow>("orders").insert(row);
      await trx<ItemRow>("order_items").insert(items);
    });
    return toOrder(row, items);
  }

  async page(limit: number, offset: number): Promise<OrderPage> {
    const [counted] = await this.db("orders").count({ total: "*" });
    const rows = await this.db<OrderRow>("orders")
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .limit(limit)
      .offset(offset);
    const items = await this.itemsOf(this.db, rows.map((row) => row.id));
    return {
      items: rows.map((row) => toOrder(row, items.get(row.id) ?? [])),
      total: Number(counted?.total ?? 0),
      limit,
      offset,
    };
  }

  async get(id: string): Promise<Order | undefined> {
    return this.read(this.db, id);
  }

  async changeStatus(id: string, status: OrderStatus): Promise<Order | undefined> {
    for (let attempt = 1; ; attempt++) {
      const order = await this.read(this.db, id);
      if (order === undefined) return undefined;
      checkTransition(order.status, status);
      // Compare-and-set: only from the status just checked, so two requests cannot
      // both move the order from it; the loser reads the new status and tries again.
      const changed = await this.db<OrderRow>("orders")
        .where({ id: order.id, status: order.status })
        .update({ status });
      if (changed === 1) return { ...order, status };
      if (attempt >= MAX_STATUS_ATTEMPTS) {
        throw new Error(`The status of order ${order.id} kept changing under this request.`);
      }
    }
  }

  async delete(id: string): Promise<Order | undefined> {
    // Read before the transaction, which then starts with a write. On SQLite a
    // transaction that reads first holds a read lock it must later upgrade, and SQLite
    // refuses that at once ("database is locked", busy_timeout or not) while another
    // process, such as the worker, is committing; one that starts by writing waits for
    // the lock like any writer.
    const order = await this.read(this.db, id);
    if (order === undefined) return undefined;
    const deleted = await this.db.transaction(async (trx): Promise<number> => {
      await trx<ItemRow>("order_items").where({ order_id: order.id }).delete();
      return await trx<OrderRow>("orders").where({ id: order.id }).delete();
    });
    return deleted === 1 ? order : undefined; // 0: another request deleted it first
  }

  async clear(): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx("order_items").delete();
      await trx("orders").delete();
    });
  }

  async ping(): Promise<void> {
    await this.db.raw("select 1");
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async read(db: Knex | Knex.Transaction, id: string): Promise<Order | undefined> {
    const key = canonicalId(id);
    if (key === undefined) return undefined;
    const row = await db<OrderRow>("orders").where({ id: key }).first();
    if (row === undefined) return undefined;
    const items = await this.itemsOf(db, [key]);
    return toOrder(row, items.get(key) ?? []);
  }

  /** Each order's items, in the order they were sent. */
  async itemsOf(db: Knex | Knex.Transaction, ids: string[]): Promise<Map<string, ItemRow[]>> {
    const byOrder = new Map<string, ItemRow[]>();
    if (ids.length === 0) return byOrder;
    const rows = await db<ItemRow>("order_items").whereIn("order_id", ids).orderBy(["order_id", "position"]);
    for (const row of rows) {
      const list = byOrder.get(row.order_id) ?? [];
      list.push(row);
      byOrder.set(row.order_id, list);
    }
    return byOrder;
  }
}
