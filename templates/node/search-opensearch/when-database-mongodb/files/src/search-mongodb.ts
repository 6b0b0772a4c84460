/** The database search on MongoDB: the same matching as the index, as one filter. */
import type { Filter } from "mongodb";

import type { Matching } from "./database-search.js";
import { NEWEST_FIRST, toOrder, type MongoOrderStore, type OrderDocument } from "./mongo-store.js";
import type { OrderStore } from "./store.js";

/** The term as a regular expression that matches only itself. */
function literal(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The whole address, its local part or its domain, or one item's SKU, ignoring case.
 *
 * An address holds exactly one `@`, so `^term@` matches its local part and `@term$` its
 * domain. The term is escaped, so it matches only itself; no index serves these.
 */
function matching(term: string): Filter<OrderDocument> {
  const text = literal(term);
  const pattern = (regex: string) => ({ $regex: regex, $options: "i" });
  return {
    $or: [
      { customer_email: pattern(`^${text}$`) },
      { customer_email: pattern(`^${text}@`) },
      { customer_email: pattern(`@${text}$`) },
      { "items.sku": pattern(`^${text}$`) },
    ],
  };
}

/** The search of the MongoDB store: orders matching the lower-cased term, newest first. */
export function databaseSearch(store: OrderStore): Matching {
  // By its shape, not its class: a test may wrap the store in a plain object.
  if (store.kind !== "mongodb" || !("orders" in store)) {
    throw new Error(`the MongoDB search cannot query a ${store.kind} store`);
  }
  const mongo = store as MongoOrderStore;
  return async (term, limit, offset) => {
    const condition = matching(term);
    await mongo.connected();
    const [total, documents] = await Promise.all([
      mongo.orders.countDocuments(condition),
      mongo.orders.find(condition).sort(NEWEST_FIRST).skip(offset).limit(limit).toArray(),
    ]);
    return { items: documents.map(toOrder), total, limit, offset };
  };
}
