"""The orders in an OpenSearch index: its mapping, its documents, writes and searches.

Nothing here knows the web framework or the database: it works on orders as the API
returns them. Each document is the order plus the fields a term may match: the e-mail
address, its local part and domain, and the SKUs, each a `keyword` with the `lowercase`
normalizer, so matching is exact and ignores case. Each write carries the order's place
in its status history as an external version, so a late write never overwrites a newer
one.
"""

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConflictError, NotFoundError, OpenSearchException, RequestError

from .domain import OrderStatus

TIMEOUT_SECONDS = 5  # a slow search server must not hold order writes for long

# Every field a term may match; the index keeps each as a lower-cased keyword.
MATCH_FIELDS = ("customer_email", "email_local_part", "email_domain", "skus")
_KEYWORD = {"type": "keyword", "normalizer": "lowercase"}
INDEX_BODY: dict[str, Any] = {
    "mappings": {
        # Each document is the order as the API returns it, plus the fields derived for
        # matching; searches answer from it. Only the fields below are indexed.
        "dynamic": False,
        "properties": {
            "id": {"type": "keyword"},
            "status": {"type": "keyword"},
            "created_at": {"type": "date_nanos"},  # the database's precision, for equal order
            **dict.fromkeys(MATCH_FIELDS, _KEYWORD),
        },
    },
}

# A document's external version is the order's place in its history: statuses only move
# forward (domain.TRANSITIONS), and the deletion comes last. A write that arrives late,
# such as one of two racing requests, carries a lower version and OpenSearch drops it.
VERSIONS = {
    OrderStatus.PENDING: 1,
    OrderStatus.PAID: 2,
    OrderStatus.SHIPPED: 3,
    OrderStatus.CANCELLED: 3,
}
DELETED_VERSION = 4

logger = logging.getLogger(__name__)


class OpenSearchIndex:
    """One index on one server, written on every committed change.

    The client is synchronous and thread-safe, so one instance serves every request
    thread. `reindex_command` is how the project rebuilds the index, named in the warning
    that a write was missed.
    """

    def __init__(self, url: str, index: str, refresh: str, *, reindex_command: str) -> None:
        # A `user:password@` in the URL becomes the client's basic auth; https turns on TLS.
        self.client = OpenSearch(hosts=[url], timeout=TIMEOUT_SECONDS, max_retries=1)
        # The client logs every request at INFO, twice the access log; its failures remain.
        logging.getLogger("opensearch").setLevel(logging.WARNING)
        self.index = index
        self.refresh = refresh
        self.reindex_command = reindex_command
        self._index_exists = False

    def ensure_index(self, *, check: bool = False) -> None:
        """Create the index with its mapping unless it exists (`check`: ask the server again)."""
        if self._index_exists and not check:
            return
        if not self.client.indices.exists(index=self.index):
            try:
                self.client.indices.create(index=self.index, body=INDEX_BODY)
            except RequestError as exc:
                # Another instance of the app may have created it a moment ago.
                if exc.error != "resource_already_exists_exception":
                    raise
        self._index_exists = True

    def on_change(self, event: str, order: dict[str, Any]) -> None:
        """Write one committed change; an outage is logged and a reindex repairs it."""
        try:
            self.ensure_index()
            if event == "order.deleted":
                self._delete(order["id"])
            else:
                self._write(order)
        except ConflictError:
            pass  # a newer version of the order is already there
        except OpenSearchException:
            logger.warning(
                "Search index missed %s of order %s; `%s` catches it up",
                event,
                order["id"],
                self.reindex_command,
                exc_info=True,
            )

    def _write(self, order: dict[str, Any]) -> None:
        self.client.index(
            index=self.index,
            id=order["id"],
            body=document(order),
            version=VERSIONS[OrderStatus(order["status"])],
            version_type="external_gte",
            refresh=self.refresh,
        )

    def _delete(self, order_id: str) -> None:
        with contextlib.suppress(NotFoundError):  # never indexed, or deleted already
            self.client.delete(
                index=self.index,
                id=order_id,
                version=DELETED_VERSION,
                version_type="external_gte",
                refresh=self.refresh,
            )

    def find(self, text: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """The documents matching `text`, newest first, and how many match in all.

        Raises OpenSearchException when the server does not answer; the caller decides
        what answers instead."""
        self.ensure_index()
        found = self.client.search(index=self.index, body=query(text, limit, offset))
        hits = found["hits"]
        return [hit["_source"] for hit in hits["hits"]], hits["total"]["value"]

    def rebuild(self, orders: Iterable[dict[str, Any]]) -> int:
        """Drop the index and fill it anew with `orders`; return how many it holds.

        Searches miss orders until it is done; changes made meanwhile are kept, as a write
        of an older version of an order never replaces a newer one.
        """
        self.client.indices.delete(index=self.index, ignore_unavailable=True)
        self._index_exists = False
        self.ensure_index()
        actions = (
            {
                "_index": self.index,
                "_id": order["id"],
                "_source": document(order),
                "_version": VERSIONS[OrderStatus(order["status"])],
                "_version_type": "external_gte",
            }
            for order in orders
        )
        indexed = 0
        for ok, result in helpers.streaming_bulk(self.client, actions, raise_on_error=False):
            if not ok and result["index"]["status"] != 409:  # 409: a newer one is there
                raise OpenSearchException(f"could not index an order: {result}")
            indexed += 1
        self.client.indices.refresh(index=self.index)
        return indexed

    def close(self) -> None:
        self.client.close()


def document(order: dict[str, Any]) -> dict[str, Any]:
    """The order as the API returns it, plus what a search term can match."""
    local_part, _, domain = order["customer_email"].rpartition("@")
    return {
        **order,
        "email_local_part": local_part,
        "email_domain": domain,
        "skus": sorted({item["sku"] for item in order["items"]}),
    }


def query(text: str, limit: int, offset: int) -> dict[str, Any]:
    """Any match field equal to the text (the index lower-cases both), newest first."""
    term = text.lower()
    return {
        "query": {
            "bool": {
                "should": [{"term": {field: term}} for field in MATCH_FIELDS],
                "minimum_should_match": 1,
            }
        },
        "sort": [{"created_at": "desc"}, {"id": "desc"}],
        "from": offset,
        "size": limit,
        "track_total_hits": True,
    }
