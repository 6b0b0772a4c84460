"""MongoDB: the order store as one `orders` collection, each order one document.

A document is the order as the API shows it, its id as `_id`:

    {"_id": "<uuid>", "customer_email": ..., "items": [{"sku", "quantity",
     "unit_price_cents"}, ...], "total_cents": ..., "status": ..., "created_at": ...,
     "updated_at": ...}

MongoDB keeps timestamps to the millisecond. There are no migrations: `migrate()`
creates the indexes the queries need (creating an index that exists changes nothing),
and a change to a document's shape is made by the code that reads it.
"""

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pymongo import DESCENDING, MongoClient, ReturnDocument
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import ConfigurationError

from .domain import OrderStatus, check_transition, utcnow
from .schemas import OrderCreate, OrderOut, OrderPage

Document = dict[str, Any]

BATCH_SIZE = 500
TIMEOUT_MS = 5_000  # how long an operation waits for a server before it fails
# Newest first, ties broken by id: the list's order, which an index serves.
NEWEST_FIRST = [("created_at", DESCENDING), ("_id", DESCENDING)]


def order_out(document: Document) -> OrderOut:
    return OrderOut.model_validate({**document, "id": document["_id"]})


class MongoOrderStore:
    kind: ClassVar[str] = "mongodb"

    def __init__(self, database_url: str) -> None:
        # tz_aware: datetimes come back in UTC, like the SQL store's.
        self.client: MongoClient[Document] = MongoClient(
            database_url,
            tz_aware=True,
            serverSelectionTimeoutMS=TIMEOUT_MS,
            connectTimeoutMS=TIMEOUT_MS,
            appname=__package__,
        )
        try:
            self.database: Database[Document] = self.client.get_default_database()
        except ConfigurationError:
            self.client.close()
            raise ValueError(
                "DATABASE_URL names no database: end it with /<name>, such as"
                " mongodb://localhost:27017/shop"
            ) from None
        self.orders: Collection[Document] = self.database["orders"]

    def migrate(self, project_root: Path) -> None:
        """Create the indexes the queries need (`project_root` holds nothing for MongoDB)."""
        self.orders.create_index(NEWEST_FIRST, name="newest_first")

    def add(self, order: OrderCreate) -> OrderOut:
        now = utcnow()
        document: Document = {
            "_id": str(uuid.uuid4()),
            "customer_email": order.customer_email,
            "items": [item.model_dump() for item in order.items],
            "total_cents": order.total_cents(),
            "status": OrderStatus.PENDING.value,
            "created_at": _milliseconds(now),
            "updated_at": _milliseconds(now),
        }
        self.orders.insert_one(document)
        return order_out(document)

    def page(self, limit: int, offset: int) -> OrderPage:
        total = self.orders.count_documents({})
        cursor = self.orders.find().sort(NEWEST_FIRST).skip(offset).limit(limit)
        return OrderPage(
            items=[order_out(document) for document in cursor],
            total=total,
            limit=limit,
            offset=offset,
        )

    def get(self, order_id: str) -> OrderOut | None:
        document = self.orders.find_one({"_id": order_id})
        return order_out(document) if document else None

    def change_status(self, order_id: str, status: OrderStatus) -> OrderOut | None:
        """Compare and set: the update applies only if the status is still the one checked."""
        while True:
            document = self.orders.find_one({"_id": order_id}, {"status": 1})
            if document is None:
                return None
            current = OrderStatus(document["status"])
            check_transition(current, status)
            changed = self.orders.find_one_and_update(
                {"_id": order_id, "status": current.value},
                {"$set": {"status": status.value, "updated_at": _milliseconds(utcnow())}},
                return_document=ReturnDocument.AFTER,
            )
            if changed is not None:
                return order_out(changed)
            # Another request changed (or deleted) it in between: look again.

    def delete(self, order_id: str) -> OrderOut | None:
        document = self.orders.find_one_and_delete({"_id": order_id})
        return order_out(document) if document else None

    def all(self) -> Iterator[OrderOut]:
        for document in self.orders.find().batch_size(BATCH_SIZE):
            yield order_out(document)

    def clear(self) -> None:
        """Empties every collection, extensions' included; the indexes stay."""
        for name in self.database.list_collection_names():
            self.database[name].delete_many({})

    def ping(self) -> None:
        self.client.admin.command("ping")

    def close(self) -> None:
        self.client.close()


def open_store(database_url: str) -> MongoOrderStore:
    return MongoOrderStore(database_url)


def _milliseconds(moment: datetime) -> datetime:
    """What MongoDB will store, so the answer to a write equals later reads."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
