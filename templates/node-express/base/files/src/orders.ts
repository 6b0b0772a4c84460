/** The orders resource: create, list, read, change status, delete. */
import { Router } from "express";

import { InvalidTransitionError, type Order } from "./domain.js";
import { ApiError, validate } from "./envelope.js";
import { methodNotAllowed } from "./errors.js";
import type { OrderEvents } from "./events.js";
import { jsonBody } from "./json-body.js";
import { orderCreate, pageQuery, statusChange } from "./schemas.js";
import type { OrderStore } from "./store.js";

/** The order; a 404 for an id that names none (any id that is not a UUID included). */
function found(order: Order | undefined, id: string): Order {
  if (order === undefined) {
    throw new ApiError(404, "not_found", `No order has the id ${JSON.stringify(id)}.`);
  }
  return order;
}

/** The routes; each committed change is then told to `events`' subscribers. */
export function ordersRouter(store: OrderStore, events: OrderEvents): Router {
  const router = Router();

  router
    .route("/orders")
    .post(jsonBody, async (req, res) => {
      const created = await store.add(validate(orderCreate, req.body));
      await events.emit("order.created", created);
      res.status(201).location(`/orders/${created.id}`).json(created);
    })
    .get(async (req, res) => {
      const { limit, offset } = validate(pageQuery, req.query);
      res.json(await store.page(limit, offset));
    })
    .all(methodNotAllowed("GET", "POST"));

  router
    .route("/orders/:id")
    .get(async (req, res) => {
      res.json(found(await store.get(req.params.id), req.params.id));
    })
    .patch(jsonBody, async (req, res) => {
      const { status } = validate(statusChange, req.body);
      let changed: Order;
      try {
        changed = found(await store.changeStatus(req.params.id, status), req.params.id);
      } catch (error) {
        if (error instanceof InvalidTransitionError) {
          throw new ApiError(409, "invalid_transition", error.message);
        }
        throw error;
      }
      await events.emit("order.updated", changed);
      res.json(changed);
    })
    .delete(async (req, res) => {
      const deleted = found(await store.delete(req.params.id), req.params.id);
      await events.emit("order.deleted", deleted);
      res.status(204).end();
    })
    .all(methodNotAllowed("GET", "PATCH", "DELETE"));

  return router;
}
