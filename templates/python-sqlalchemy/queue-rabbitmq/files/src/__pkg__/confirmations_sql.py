"""Sent confirmations in the `order_confirmations` table (migration 0002)."""

from sqlalchemy.exc import IntegrityError

from .confirmations import ConfirmationOut, OrderConfirmation
from .db import SqlOrderStore, canonical_id


class ConfirmationLog:
    def __init__(self, store: SqlOrderStore) -> None:
        self.sessions = store.sessions

    def find(self, order_id: str) -> ConfirmationOut | None:
        key = canonical_id(order_id)
        with self.sessions() as session:
            row = session.get(OrderConfirmation, key) if key else None
            return ConfirmationOut.model_validate(row) if row else None

    def record(self, confirmation: ConfirmationOut) -> bool:
        """The key and the foreign key refuse a second confirmation and a deleted order."""
        with self.sessions() as session:
            session.add(OrderConfirmation(**confirmation.model_dump()))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return False
        return True
