"""Sent confirmations on MongoDB: one document per order in `order_confirmations`."""

from pymongo.errors import DuplicateKeyError

from .confirmations import ConfirmationOut
from .mongodb import MongoOrderStore


class ConfirmationLog:
    def __init__(self, store: MongoOrderStore) -> None:
        self.store = store
        self.confirmations = store.database["order_confirmations"]

    def find(self, order_id: str) -> ConfirmationOut | None:
        document = self.confirmations.find_one({"_id": order_id})
        if document is None:
            return None
        return ConfirmationOut.model_validate({**document, "order_id": document["_id"]})

    def record(self, confirmation: ConfirmationOut) -> bool:
        """The order id is the document's `_id`, so a second confirmation is refused.

        MongoDB has no foreign keys: an order deleted since the job looked is caught by
        looking once more, and its confirmation removed again.
        """
        document = {"_id": confirmation.order_id, **confirmation.model_dump(exclude={"order_id"})}
        try:
            self.confirmations.insert_one(document)
        except DuplicateKeyError:
            return False
        if self.store.get(confirmation.order_id) is None:
            self.confirmations.delete_one({"_id": confirmation.order_id})
            return False
        return True
