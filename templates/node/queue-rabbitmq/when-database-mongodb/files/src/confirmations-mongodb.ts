/** Sent confirmations on MongoDB: one document per order in `order_confirmations`. */
import { MongoServerError, type Collection } from "mongodb";

import type { Confirmation, ConfirmationLog } from "./confirmations.js";
import type { MongoOrderStore } from "./mongo-store.js";
import type { OrderStore } from "./store.js";

interface ConfirmationDocument {
  order_id: string;
  status: "sent";
  sent_at: Date;
}

/** MongoDB's code for a write that a unique index refused. */
const DUPLICATE_KEY = 11000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class MongoConfirmationLog implements ConfirmationLog {
  readonly confirmations: Collection<ConfirmationDocument>;
  #indexed: Promise<void> | undefined;

  constructor(private readonly store: MongoOrderStore) {
    this.confirmations = store.database.collection<ConfirmationDocument>("order_confirmations");
  }

  /**
   * The unique index on `order_id`, which makes the job idempotent. Made once per
   * process (creating an index that exists changes nothing), and again after a failure.
   */
  prepare(): Promise<void> {
    this.#indexed ??= (async () => {
      await this.store.connected();
      await this.confirmations.createIndex({ order_id: 1 }, { unique: true, name: "order_id_unique" });
    })().catch((error: unknown) => {
      this.#indexed = undefined;
      throw error;
    });
    return this.#indexed;
  }

  async find(orderId: string): Promise<Confirmation | undefined> {
    if (!UUID.test(orderId)) return undefined;
    await this.store.connected();
    const document = await this.confirmations.findOne({ order_id: orderId.toLowerCase() });
    if (document === null) return undefined;
    return { order_id: document.order_id, status: document.status, sent_at: document.sent_at.toISOString() };
  }

  /**
   * An insert that the unique index refuses for an order confirmed already. MongoDB has
   * no foreign keys: an order deleted since the job looked is caught by looking once
   * more, and its confirmation removed again.
   */
  async record(confirmation: Confirmation): Promise<boolean> {
    await this.prepare();
    try {
      await this.confirmations.insertOne({
        order_id: confirmation.order_id,
        status: confirmation.status,
        sent_at: new Date(confirmation.sent_at),
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
    if ((await this.store.get(confirmation.order_id)) === undefined) {
      await this.forget(confirmation.order_id);
      return false;
    }
    return true;
  }

  /** What a foreign key would do on SQL: the confirmation goes with its order. */
  async forget(orderId: string): Promise<void> {
    await this.store.connected();
    await this.confirmations.deleteOne({ order_id: orderId });
  }
}

/** The confirmation log of the MongoDB store. */
export function confirmationLog(store: OrderStore): ConfirmationLog {
  // By its shape, not its class: a test may wrap the store in a plain object.
  if (store.kind !== "mongodb" || !("database" in store)) {
    throw new Error(`the MongoDB confirmation log cannot use a ${store.kind} store`);
  }
  return new MongoConfirmationLog(store as MongoOrderStore);
}
