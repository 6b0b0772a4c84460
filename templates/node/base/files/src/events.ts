/**
 * Order events, emitted after each change is committed.
 *
 * Extensions (a queue publisher, a search indexer) subscribe when they are installed;
 * the orders routes emit. With no subscriber nothing happens. A failing subscriber is
 * logged and never fails the request: the change is already committed.
 */
import type { Order } from "./domain.js";
import type { Logger } from "./logger.js";

export type OrderEvent = "order.created" | "order.updated" | "order.deleted";
export type Subscriber = (event: OrderEvent, order: Order) => void | Promise<void>;

export class OrderEvents {
  readonly #subscribers: Subscriber[] = [];

  constructor(private readonly logger: Logger) {}

  /** Call `subscriber(event, order)` after every committed change to an order. */
  subscribe(subscriber: Subscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Tell every subscriber, one after another; `order` is the order as the API returns it. */
  async emit(event: OrderEvent, order: Order): Promise<void> {
    for (const subscriber of this.#subscribers) {
      try {
        await subscriber(event, order);
      } catch (error) {
        this.logger.error({ err: error, event, order: order.id }, "an order event subscriber failed");
      }
    }
  }
}
