/** OrdersService: the orders use cases over the shared order store, telling each committed change. */
import { Inject, Injectable } from "@nestjs/common";

import { InvalidTransitionError, type Order, type OrderPage, type OrderStatus } from "./domain.js";
import { ApiError } from "./envelope.js";
import type { OrderEvents } from "./events.js";
import type { OrderCreate } from "./schemas.js";
import type { OrderStore } from "./store.js";
import { ORDER_EVENTS, ORDER_STORE } from "./tokens.js";

/** The order; a 404 for an id that names none (any id that is not a UUID included). */
function found(order: Order | undefined, id: string): Order {
  if (order === undefined) {
    throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
  }
  return order;
}

@Injectable()
export class OrdersService {
  constructor(
    @Inject(ORDER_STORE) private readonly store: OrderStore,
    @Inject(ORDER_EVENTS) private readonly events: OrderEvents,
  ) {}

  async create(body: OrderCreate): Promise<Order> {
    const created = await this.store.add(body);
    await this.events.emit("order.created", created);
    return created;
  }

  page(limit: number, offset: number): Promise<OrderPage> {
    return this.store.page(limit, offset);
  }

  async get(id: string): Promise<Order> {
    return found(await this.store.get(id), id);
  }

  async changeStatus(id: string, status: OrderStatus): Promise<Order> {
    let changed: Order;
    try {
      changed = found(await this.store.changeStatus(id, status), id);
    } catch (error) {
      if (error instanceof InvalidTransitionError) {
        throw new ApiError(409, "invalid_transition", error.message);
      }
      throw error;
    }
    await this.events.emit("order.updated", changed);
    return changed;
  }

  async delete(id: string): Promise<void> {
    const deleted = found(await this.store.delete(id), id);
    await this.events.emit("order.deleted", deleted);
  }
}
