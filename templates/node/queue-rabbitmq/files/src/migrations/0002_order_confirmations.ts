/** The order_confirmations table of the order-confirmation job: one row per confirmed order. */
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("order_confirmations", (table) => {
    // The key makes the job idempotent; the foreign key drops the row with its order.
    table.string("order_id", 36).primary().references("id").inTable("orders").onDelete("CASCADE");
    table.string("status", 16).notNullable();
    table.datetime("sent_at", { useTz: true, precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("order_confirmations");
}
