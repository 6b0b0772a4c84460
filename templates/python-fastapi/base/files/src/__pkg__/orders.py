"""The orders resource: create, list, read, change status, delete."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from . import errors, events
from .deps import OrdersDep
from .domain import InvalidTransitionError
from .schemas import OrderCreate, OrderOut, OrderPage, StatusChange

# Bodies are judged as the contract says (415, 400, then 422) by errors.JsonBodyRoute.
router = APIRouter(
    prefix="/orders",
    tags=["orders"],
    responses=errors.responses(422),
    route_class=errors.JsonBodyRoute,
)

OrderId = Annotated[str, Path(alias="id", description="The order's UUID.")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=errors.responses(400, 415),
)
def create_order(
    payload: OrderCreate, orders: OrdersDep, request: Request, response: Response
) -> OrderOut:
    created = orders.add(payload)
    response.headers["Location"] = f"{router.prefix}/{created.id}"
    events.emit(request.app, "order.created", created.model_dump(mode="json"))
    return created


@router.get("")
def list_orders(
    orders: OrdersDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderPage:
    """Newest first."""
    return orders.page(limit, offset)


@router.get("/{id}", responses=errors.responses(404))
def get_order(order_id: OrderId, orders: OrdersDep) -> OrderOut:
    return found(orders.get(order_id), order_id)


@router.patch("/{id}", responses=errors.responses(400, 404, 409, 415))
def change_status(
    order_id: OrderId, change: StatusChange, orders: OrdersDep, request: Request
) -> OrderOut:
    """Move the order along its state machine (see `domain.TRANSITIONS`)."""
    try:
        changed = found(orders.change_status(order_id, change.status), order_id)
    except InvalidTransitionError as exc:
        raise errors.ApiError(status.HTTP_409_CONFLICT, "invalid_transition", str(exc)) from exc
    events.emit(request.app, "order.updated", changed.model_dump(mode="json"))
    return changed


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors.responses(404))
def delete_order(order_id: OrderId, orders: OrdersDep, request: Request) -> Response:
    deleted = found(orders.delete(order_id), order_id)
    events.emit(request.app, "order.deleted", deleted.model_dump(mode="json"))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def found(order: OrderOut | None, order_id: str) -> OrderOut:
    """The order; a 404 for an id that names none (any id that is not a UUID included)."""
    if order is None:
        raise errors.ApiError(
            status.HTTP_404_NOT_FOUND, "not_found", f"No order has the id {order_id!r}."
        )
    return order
