/** Sent confirmations in the `order_confirmations` table (migration 0002). */
import type { Knex } from "knex";

import type { Confirmation, ConfirmationLog } from "./confirmations.js";
import type { SqlOrderStore } from "./sql-store.js";
import type { OrderStore } from "./store.js";

interface ConfirmationRow {
  order_id: string;
  status: "sent";
  sent_at: Date | number | string; // a Date, or SQLite's stored form
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A duplicate key or a missing order, in the words of SQLite, PostgreSQL or MySQL. */
function isConstraintViolation(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return (
    (typeof code === "string" && (code.startsWith("SQLITE_CONSTRAINT") || code === "23505" || code === "23503")) ||
    errno === 1062 || // ER_DUP_ENTRY
    errno === 1452 // ER_NO_REFERENCED_ROW_2
  );
}

export class SqlConfirmationLog implements ConfirmationLog {
  constructor(private readonly db: Knex) {}

  /** The table is migration 0002's: nothing else to make. */
  async prepare(): Promise<void> {
    // Nothing to make.
  }

  async find(orderId: string): Promise<Confirmation | undefined> {
    if (!UUID.test(orderId)) return undefined;
    const row = await this.db<ConfirmationRow>("order_confirmations")
      .where({ order_id: orderId.toLowerCase() })
      .first();
    if (row === undefined) return undefined;
    return { order_id: row.order_id, status: row.status, sent_at: new Date(row.sent_at).toISOString() };
  }

  /** The key and the foreign key refuse a second confirmation and a deleted order. */
  async record(confirmation: Confirmation): Promise<boolean> {
    try {
      await this.db<ConfirmationRow>("order_confirmations").insert({
        order_id: confirmation.order_id,
        status: confirmation.status,
        sent_at: new Date(confirmation.sent_at),
      });
      return true;
    } catch (error) {
      if (isConstraintViolation(error)) return false;
      throw error;
    }
  }

  /** The foreign key's ON DELETE CASCADE removed the row with its order already. */
  async forget(_orderId: string): Promise<void> {
    // Nothing left to delete.
  }
}

/** The confirmation log of the store's database. */
export function confirmationLog(store: OrderStore): ConfirmationLog {
  // By its shape, not its class: a test may wrap the store in a plain object.
  if (store.kind !== "sql" || !("db" in store)) {
    throw new Error(`the order-confirmation job keeps no records on a ${store.kind} store`);
  }
  return new SqlConfirmationLog((store as SqlOrderStore).db);
}
