/** The orders and their items. */
import type { Knex } from "knex";

import { ORDER_STATUSES } from "../domain.js";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("orders", (table) => {
    table.string("id", 36).primary(); // a UUID, canonical lower-case form
    table.string("customer_email", 320).notNullable();
    table.bigInteger("total_cents").notNullable();
    table.string("status", 16).notNullable().checkIn([...ORDER_STATUSES]);
    table.datetime("created_at", { useTz: true, precision: 3 }).notNullable();
    // The listing's order: newest first, the id breaking ties.
    table.index(["created_at", "id"], "ix_orders_created_at_id");
  });
  await knex.schema.createTable("order_items", (table) => {
    table
      .string("order_id", 36)
      .notNullable()
      .references("id")
      .inTable("orders")
      .onDelete("CASCADE");
    table.integer("position").notNullable(); // keeps the items in the order they were sent
    table.string("sku", 64).notNullable();
    table.integer("quantity").notNullable();
    table.integer("unit_price_cents").notNullable();
    table.primary(["order_id", "position"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("order_items");
  await knex.schema.dropTable("orders");
}
