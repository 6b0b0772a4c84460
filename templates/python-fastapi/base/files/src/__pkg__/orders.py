"""The orders resource: create, list, read, change status, delete."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import errors, events
from .db import SessionDep
from .models import Order, OrderItem
from .schemas import OrderCreate, OrderOut, OrderPage, StatusChange

router = APIRouter(prefix="/orders", tags=["orders"], responses=errors.responses(422))

OrderId = Annotated[str, Path(alias="id", description="The order's UUID.")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=errors.responses(400),
)
def create_order(
    payload: OrderCreate, session: SessionDep, request: Request, response: Response
) -> OrderOut:
    order = Order(
        customer_email=payload.customer_email,
        items=[
            OrderItem(position=position, **item.model_dump())
            for position, item in enumerate(payload.items)
        ],
        total_cents=sum(item.quantity * item.unit_price_cents for item in payload.items),
    )
    session.add(order)
    session.commit()
    response.headers["Location"] = f"{router.prefix}/{order.id}"
    created = OrderOut.model_validate(order)
    events.emit(request.app, "order.created", created.model_dump(mode="json"))
    return created


@router.get("")
def list_orders(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderPage:
    """Newest first."""
    total = session.scalar(select(func.count()).select_from(Order)) or 0
    orders = session.scalars(
        select(Order).order_by(Order.created_at.desc(), Order.id.desc()).limit(limit).offset(offset)
    )
    return OrderPage(
        items=[OrderOut.model_validate(order) for order in orders],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{id}", responses=errors.responses(404))
def get_order(order_id: OrderId, session: SessionDep) -> OrderOut:
    return OrderOut.model_validate(_find(session, order_id))


@router.patch("/{id}", responses=errors.responses(404, 409))
def change_status(
    order_id: OrderId, change: StatusChange, session: SessionDep, request: Request
) -> OrderOut:
    """Move the order along its state machine (see `models.TRANSITIONS`)."""
    order = _find(session, order_id, for_update=True)
    if not order.can_change_to(change.status):
        raise errors.ApiError(
            status.HTTP_409_CONFLICT,
            "invalid_transition",
            f"An order cannot change from {order.status} to {change.status}.",
        )
    order.status = change.status
    session.commit()
    changed = OrderOut.model_validate(order)
    events.emit(request.app, "order.updated", changed.model_dump(mode="json"))
    return changed


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors.responses(404))
def delete_order(order_id: OrderId, session: SessionDep, request: Request) -> Response:
    order = _find(session, order_id)
    deleted = OrderOut.model_validate(order)
    session.delete(order)
    session.commit()
    events.emit(request.app, "order.deleted", deleted.model_dump(mode="json"))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _find(session: Session, order_id: str, *, for_update: bool = False) -> Order:
    """The order, locked for the transaction if asked; any id that is not a UUID is unknown."""
    try:
        key = str(uuid.UUID(order_id))
    except ValueError:
        key = None
    order = session.get(Order, key, with_for_update=for_update) if key else None
    if order is None:
        raise errors.ApiError(
            status.HTTP_404_NOT_FOUND, "not_found", f"No order has the id {order_id!r}."
        )
    return order
