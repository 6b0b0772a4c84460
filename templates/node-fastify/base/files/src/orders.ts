/** The orders resource: create, list, read, change status, delete. */
import type { FastifyInstance } from "fastify";

import { InvalidTransitionError, type Order } from "./domain.js";
import { ApiError, validate } from "./envelope.js";
import { allowOnly } from "./errors.js";
import type { OrderEvents } from "./events.js";
import { orderCreate, pageQuery, statusChange } from "./schemas.js";
import type { OrderStore } from "./store.js";

/** The order; a 404 for an id that names none (any id that is not a UUID included). */
function found(order: Order | undefined, id: string): Order {
  if (order === undefined) {
    throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
  }
  return order;
}

interface ById {
  Params: { id: string };
}

/**
 * The routes; each committed change is then told to `events`' subscribers. Bodies and
 * query strings are checked by the shared zod schemas in the handlers (`validate`), so
 * the routes declare no JSON Schema of their own.
 */
export function orderRoutes(app: FastifyInstance, store: OrderStore, events: OrderEvents): void {
  app.post("/orders", async (request, reply) => {
    const created = await store.add(validate(orderCreate, request.body));
    await events.emit("order.created", created);
    return reply.code(201).header("Location", `/orders/${created.id}`).send(created);
  });
  app.get("/orders", async (request) => {
    const { limit, offset } = validate(pageQuery, request.query);
    return store.page(limit, offset);
  });
  allowOnly(app, "/orders", "GET", "POST");

  app.get<ById>("/orders/:id", async (request) => {
    return found(await store.get(request.params.id), request.params.id);
  });
  app.patch<ById>("/orders/:id", async (request) => {
    const { id } = request.params;
    const { status } = validate(statusChange, request.body);
    let changed: Order;
    try {
      changed = found(await store.changeStatus(id, status), id);
    } catch (error) {
      if (error instanceof InvalidTransitionError) {
        throw new ApiError(409, "invalid_transition", error.message);
      }
      throw error;
    }
    await events.emit("order.updated", changed);
    return changed;
  });
  app.delete<ById>("/orders/:id", async (request, reply) => {
    const deleted = found(await store.delete(request.params.id), request.params.id);
    await events.emit("order.deleted", deleted);
    return reply.code(204).send();
  });
  allowOnly(app, "/orders/:id", "GET", "PATCH", "DELETE");
}
