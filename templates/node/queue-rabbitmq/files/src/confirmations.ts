/**
 * The order-confirmation job: each new order's confirmation is sent off the request path.
 *
 * Creating an order publishes `order.created`; the worker (`worker.ts`) consumes it, sends
 * the confirmation and records it, and `GET /orders/{id}/confirmation` shows the record.
 * Without AMQP_URL the app runs the same job itself, in the background of its own process.
 * Nothing here knows the web framework: its glue serves `startConfirmations()`' `find`.
 */
import { z } from "zod";

import { confirmationLog } from "./confirmation-logs.js";
import { settings, type ExtensionContext } from "./extensions.js";
import type { Logger } from "./logger.js";
import {
  LocalSink,
  MalformedMessageError,
  ORDER_CREATED,
  queueSettings,
  RabbitPublisher,
  Relay,
  eventMessage,
  type Sink,
} from "./messaging.js";
import { orderOut } from "./schemas.js";
import type { OrderStore } from "./store.js";

export const confirmationOut = z.object({
  order_id: z.string(),
  status: z.literal("sent"),
  sent_at: z.iso.datetime({ offset: true }),
});
export type Confirmation = z.infer<typeof confirmationOut>;

/**
 * Where sent confirmations are recorded, by the store's database: `confirmations-<kind>.ts`
 * (`confirmations-sql.ts` on SQL), picked by `confirmation-logs.ts`.
 */
export interface ConfirmationLog {
  /** Make what the records need that the migrations do not (such as an index); repeatable. */
  prepare(): Promise<void>;
  /** The order's confirmation, or undefined (any string may be asked for). */
  find(orderId: string): Promise<Confirmation | undefined>;
  /** False when the order was confirmed meanwhile, or is gone. */
  record(confirmation: Confirmation): Promise<boolean>;
  /** Drop the confirmation of a deleted order, where the database does not do it itself. */
  forget(orderId: string): Promise<void>;
}

/** The message the job consumes (see `messaging.eventMessage`). */
const orderCreated = z.object({ event: z.literal(ORDER_CREATED), order: orderOut });

export type Job = (body: Buffer) => Promise<void>;

/** The job over `store`: confirm the order of an `order.created` message, once however often it comes. */
export function confirmationJob(store: OrderStore, logger: Logger): Job {
  const log = confirmationLog(store);
  return async (body) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw new MalformedMessageError(`not JSON: ${String(error)}`);
    }
    const message = orderCreated.safeParse(parsed);
    if (!message.success) throw new MalformedMessageError(message.error.message);
    const order = message.data.order;
    if ((await log.find(order.id)) !== undefined) {
      logger.info({ order_id: order.id }, `order ${order.id} is already confirmed`);
      return;
    }
    if ((await store.get(order.id)) === undefined) {
      logger.info({ order_id: order.id }, `order ${order.id} no longer exists`);
      return;
    }
    sendConfirmation(order, logger);
    if (!(await log.record({ order_id: order.id, status: "sent", sent_at: new Date().toISOString() }))) {
      // Another worker confirmed it first, or the order was deleted meanwhile.
      logger.info({ order_id: order.id }, `order ${order.id} was confirmed or deleted meanwhile`);
    }
  };
}

/** Where an e-mail provider would be called; pass `order.id` as its idempotency key. */
export function sendConfirmation(order: z.infer<typeof orderOut>, logger: Logger): void {
  logger.info({ order_id: order.id, total_cents: order.total_cents }, `sent the confirmation of order ${order.id}`);
}

export interface Confirmations {
  find(orderId: string): Promise<Confirmation | undefined>;
}

/**
 * Hand every new order to the job: via RabbitMQ when AMQP_URL is set, else in-process.
 * Adds the `queue` readiness check, and closes the relay (sending what waits) at shutdown.
 */
export function startConfirmations(context: ExtensionContext): Confirmations {
  const { AMQP_URL: amqpUrl } = settings(context, queueSettings);
  const job = confirmationJob(context.store, context.logger);
  const sink: Sink = amqpUrl
    ? new RabbitPublisher(amqpUrl, context.logger)
    : new LocalSink({ [ORDER_CREATED]: job }, context.logger);
  const relay = new Relay(sink, context.logger);
  relay.start();

  context.events.subscribe((event, order) => {
    if (event === ORDER_CREATED) relay.submit(eventMessage(event, order));
  });
  context.readyChecks.queue = async () => {
    if (!(await relay.waitReady(1000))) throw new Error("the job queue cannot take messages");
  };
  context.onClose(() => relay.close());

  const log = confirmationLog(context.store);
  // At startup, as the store's own indexes; the first record retries if this fails.
  log.prepare().catch((error: unknown) => {
    context.logger.warn({ err: error }, "could not prepare the order confirmations' records");
  });
  context.events.subscribe(async (event, order) => {
    if (event === "order.deleted") await log.forget(order.id);
  });
  return { find: (orderId) => log.find(orderId) };
}
