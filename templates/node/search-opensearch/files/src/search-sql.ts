/** The database search on SQL: the same matching as the index, as one query through Knex. */
import type { Knex } from "knex";

import type { Matching } from "./database-search.js";
import { toOrder, type OrderRow, type SqlOrderStore } from "./sql-store.js";
import type { OrderStore } from "./store.js";

/**
 * The whole address, its local part or its domain, or one item's SKU.
 *
 * An address holds exactly one `@`, so `term@%` matches its local part and `%@term` its
 * domain; `%` and `_` in the term are escaped so they match only themselves.
 */
function matching(db: Knex, term: string) {
  const pattern = term.replace(/[/%_]/g, (char) => `/${char}`);
  return (query: Knex.QueryBuilder) => {
    void query
      .whereRaw("lower(customer_email) = ?", [term])
      .orWhereRaw("lower(customer_email) like ? escape '/'", [`${pattern}@%`])
      .orWhereRaw("lower(customer_email) like ? escape '/'", [`%@${pattern}`])
      .orWhereIn("id", db("order_items").select("order_id").whereRaw("lower(sku) = ?", [term]));
  };
}

/** The search of a Knex store: orders matching the lower-cased term, newest first. */
export function databaseSearch(store: OrderStore): Matching {
  // By its shape, not its class: a test may wrap the store in a plain object.
  if (store.kind !== "sql" || !("db" in store)) {
    throw new Error(`the SQL search cannot query a ${store.kind} store`);
  }
  const sql = store as SqlOrderStore;
  return async (term, limit, offset) => {
    const condition = matching(sql.db, term);
    const [counted] = await sql.db("orders").where(condition).count({ total: "*" });
    const rows = await sql.db<OrderRow>("orders")
      .where(condition)
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .limit(limit)
      .offset(offset);
    const items = await sql.itemsOf(sql.db, rows.map((row) => row.id));
    return {
      items: rows.map((row) => toOrder(row, items.get(row.id) ?? [])),
      total: Number(counted?.total ?? 0),
      limit,
      offset,
    };
  };
}
