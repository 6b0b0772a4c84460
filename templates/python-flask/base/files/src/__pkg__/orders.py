"""The orders resource: create, list, read, change status, delete."""

from flask import Blueprint, Response, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, Field

from . import errors, events
from .domain import InvalidTransitionError
from .schemas import OrderCreate, OrderOut, StatusChange
from .state import app_state

bp = Blueprint("orders", __name__, url_prefix="/orders")


class PageQuery(BaseModel):
    """`GET /orders?limit=&offset=`: at most 100 orders a page."""

    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


@bp.post("")
def create_order() -> ResponseReturnValue:
    payload = errors.json_body(OrderCreate)
    created = app_state().orders.add(payload).model_dump(mode="json")
    events.emit("order.created", created)
    return created, 201, {"Location": url_for(".get_order", order_id=created["id"])}


@bp.get("")
def list_orders() -> ResponseReturnValue:
    """Newest first."""
    paging = errors.query(PageQuery)
    return app_state().orders.page(paging.limit, paging.offset).model_dump(mode="json")


@bp.get("/<order_id>")
def get_order(order_id: str) -> ResponseReturnValue:
    return found(app_state().orders.get(order_id), order_id).model_dump(mode="json")


@bp.patch("/<order_id>")
def change_status(order_id: str) -> ResponseReturnValue:
    """Move the order along its state machine (see `domain.TRANSITIONS`)."""
    change = errors.json_body(StatusChange)
    try:
        changed = found(app_state().orders.change_status(order_id, change.status), order_id)
    except InvalidTransitionError as exc:
        raise errors.ApiError(409, "invalid_transition", str(exc)) from exc
    body = changed.model_dump(mode="json")
    events.emit("order.updated", body)
    return body


@bp.delete("/<order_id>")
def delete_order(order_id: str) -> ResponseReturnValue:
    deleted = found(app_state().orders.delete(order_id), order_id)
    events.emit("order.deleted", deleted.model_dump(mode="json"))
    return Response(status=204)


def found(order: OrderOut | None, order_id: str) -> OrderOut:
    """The order; a 404 for an id that names none (any id that is not a UUID included)."""
    if order is None:
        raise errors.ApiError(404, "not_found", f"No order has the id {order_id!r}.")
    return order
