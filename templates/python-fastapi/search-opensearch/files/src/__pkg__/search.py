"""`GET /orders/search?q=`, on the search of `search_index.py` (OpenSearch or the database).

Installed before the orders router, so `/orders/search` is never taken for an order id.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from . import errors, events
from .config import Settings
from .schemas import OrderPage
from .search_index import SearchBackend, SearchText, open_search, too_deep

router = APIRouter(prefix="/orders", tags=["orders"], responses=errors.responses(422))

SearchQuery = Annotated[
    SearchText,
    Query(
        description="An e-mail address, its local part or domain, or a SKU; case is ignored.",
        examples=["ada@example.com", "example.com", "BOOK-1"],
    ),
]


def _backend(request: Request) -> SearchBackend:
    backend: SearchBackend = request.app.state.search
    return backend


@router.get("/search")
def search_orders(
    q: SearchQuery,
    backend: Annotated[SearchBackend, Depends(_backend)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderPage:
    """Orders whose e-mail address, its local part or domain, or a SKU equals `q`; newest first.

    `offset + limit` may not pass 10,000: narrow the search to reach older matches.
    """
    message = too_deep(limit, offset)
    if message:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", "offset"), "msg": message, "input": offset}]
        )
    return backend.search(q, limit, offset)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the search route and its backend; `SearchSettings` are read there, not `settings`."""
    backend = open_search(app.state.orders)
    events.subscribe(app, backend.on_change)

    async def ping() -> None:
        await run_in_threadpool(backend.ping)

    async def close() -> None:
        await run_in_threadpool(backend.close)

    app.state.search = backend
    app.state.ready_checks["search"] = ping
    app.state.shutdown_hooks.append(close)
    app.include_router(router)
