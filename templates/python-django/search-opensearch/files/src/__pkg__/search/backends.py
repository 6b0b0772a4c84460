"""Who answers a search: the index when SEARCH_URL is set, else the database itself.

The database runs the same matching in one query: nothing to keep in step, but matching
a domain (`%@domain`) cannot use an index, so each search scans the orders; fine for
development and small shops, and the reason to set SEARCH_URL for large ones. While the
index is unavailable, searches fall back to the database and /ready says so.
"""

import logging
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Q
from opensearchpy.exceptions import OpenSearchException

from ..opensearch_index import OpenSearchIndex
from ..orders.models import Order
from ..orders.serializers import OrderSerializer

logger = logging.getLogger(__name__)


def current_index() -> OpenSearchIndex | None:
    """The index the settings name, or None without SEARCH_URL."""
    if not settings.SEARCH_URL:
        return None
    return _index(settings.SEARCH_URL, settings.SEARCH_INDEX, settings.SEARCH_REFRESH)


@cache
def _index(url: str, index: str, refresh: str) -> OpenSearchIndex:
    return OpenSearchIndex(url, index, refresh, reindex_command="manage.py reindex")


def search(text: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Orders (as the API returns them) matching `text`, newest first, and their count."""
    index = current_index()
    if index is not None:
        try:
            documents, total = index.find(text, limit, offset)
        except OpenSearchException:
            logger.warning("Search server unavailable; searching the database", exc_info=True)
        else:
            fields = OrderSerializer.Meta.fields
            return [{name: doc[name] for name in fields} for doc in documents], total
    return database_search(text, limit, offset)


def database_search(text: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """The whole address, its local part or its domain, or one item's SKU, ignoring case.

    An address holds exactly one `@`, so `term@...` is its local part and `...@term` its
    domain; Django escapes `%` and `_` in the term, so they match only themselves.
    """
    term = text.lower()
    with_sku = Order.objects.filter(items__sku__iexact=term).values("pk")
    matches = Order.objects.filter(
        Q(customer_email__iexact=term)
        | Q(customer_email__istartswith=f"{term}@")
        | Q(customer_email__iendswith=f"@{term}")
        | Q(pk__in=with_sku)
    )
    page = matches.prefetch_related("items")[offset : offset + limit]
    return OrderSerializer(page, many=True).data, matches.count()


def index_change(*, event: str, order: dict[str, Any], **_kwargs: Any) -> None:
    """Receiver of `order_changed`: runs once the change is committed, before the answer."""
    index = current_index()
    if index is not None:
        index.on_change(event, order)


def ping() -> None:
    """Readiness: the server answers and the index exists (made again if it went away).

    Without SEARCH_URL the database answers, which /ready already checks."""
    index = current_index()
    if index is not None:
        index.ensure_index(check=True)
