"""The database search on MongoDB: the same matching as the index, as one filter."""

import re
from typing import Any

from .mongodb import NEWEST_FIRST, MongoOrderStore, order_out
from .schemas import OrderPage


def matching(store: MongoOrderStore, term: str, limit: int, offset: int) -> OrderPage:
    """Orders matching the lower-cased `term`, newest first."""
    condition = _match(term)
    total = store.orders.count_documents(condition)
    cursor = store.orders.find(condition).sort(NEWEST_FIRST).skip(offset).limit(limit)
    items = [order_out(document) for document in cursor]
    return OrderPage(items=items, total=total, limit=limit, offset=offset)


def _match(term: str) -> dict[str, Any]:
    """The whole address, its local part or its domain, or one item's SKU, ignoring case.

    An address holds exactly one `@`, so `^term@` matches its local part and `@term$` its
    domain. The term is escaped, so it matches only itself; no index serves these.
    """
    literal = re.escape(term)

    def pattern(regex: str) -> dict[str, str]:
        return {"$regex": regex, "$options": "i"}

    return {
        "$or": [
            {"customer_email": pattern(f"^{literal}$")},
            {"customer_email": pattern(f"^{literal}@")},
            {"customer_email": pattern(f"@{literal}$")},
            {"items.sku": pattern(f"^{literal}$")},
        ]
    }
