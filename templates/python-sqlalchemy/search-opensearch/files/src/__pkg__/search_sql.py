"""The database search on SQL: the same matching as the index, as one query."""

from sqlalchemy import ColumnElement, func, or_, select

from .db import SqlOrderStore
from .models import Order, OrderItem
from .schemas import OrderOut, OrderPage


def matching(store: SqlOrderStore, term: str, limit: int, offset: int) -> OrderPage:
    """Orders matching the lower-cased `term`, newest first."""
    condition = _match(term)
    with store.sessions() as session:
        total = session.scalar(select(func.count()).select_from(Order).where(condition)) or 0
        rows = session.scalars(
            select(Order)
            .where(condition)
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(limit)
            .offset(offset)
        )
        items = [OrderOut.model_validate(row) for row in rows]
    return OrderPage(items=items, total=total, limit=limit, offset=offset)


def _match(term: str) -> ColumnElement[bool]:
    """The whole address, its local part or its domain, or one item's SKU.

    An address holds exactly one `@`, so `term@%` matches its local part and `%@term` its
    domain; `%` and `_` in the term are escaped so they match only themselves.
    """
    email = func.lower(Order.customer_email)
    pattern = term.replace("/", "//").replace("%", "/%").replace("_", "/_")
    with_sku = select(OrderItem.order_id).where(func.lower(OrderItem.sku) == term)
    return or_(
        email == term,
        email.like(f"{pattern}@%", escape="/"),
        email.like(f"%@{pattern}", escape="/"),
        Order.id.in_(with_sku),
    )
