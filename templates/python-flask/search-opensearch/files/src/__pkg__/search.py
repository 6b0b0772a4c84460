"""`GET /orders/search?q=`, on the search of `search_index.py` (OpenSearch or the database).

`/orders/search` is a static rule, which werkzeug matches before `/orders/<order_id>`,
so `search` is never taken for an order id.
"""

from flask import Blueprint, Flask, current_app
from flask.typing import ResponseReturnValue

from . import errors, events, openapi
from .config import Settings
from .orders import PageQuery
from .schemas import OrderPage
from .search_index import SearchBackend, SearchText, open_search, too_deep
from .state import app_state

bp = Blueprint("search", __name__, url_prefix="/orders")

_KEY = f"{__package__}.search"


class SearchQuery(PageQuery):
    """`GET /orders/search?q=&limit=&offset=`: pages as `GET /orders` has them."""

    q: SearchText


PATHS: openapi.PathItems = {
    "/orders/search": {
        "get": {
            "tags": ["orders"],
            "summary": "Search orders by e-mail address, its local part or domain, or SKU",
            "description": (
                "Newest first. `offset + limit` may not pass 10,000: narrow the search to"
                " reach older matches."
            ),
            "operationId": "search_orders",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "required": True,
                    "description": (
                        "An e-mail address, its local part or domain, or a SKU; case is ignored."
                    ),
                    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    "examples": {
                        "address": {"value": "ada@example.com"},
                        "domain": {"value": "example.com"},
                        "sku": {"value": "BOOK-1"},
                    },
                },
                openapi.paging("limit", 20, 1, 100),
                openapi.paging("offset", 0, 0),
            ],
            "responses": {
                "200": openapi.json_content(OrderPage, "One page of the matching orders."),
                **openapi.error_responses(422),
            },
        },
    },
}


@bp.get("/search")
def search_orders() -> ResponseReturnValue:
    """Orders whose e-mail address, its local part or domain, or a SKU equals `q`."""
    search = errors.query(SearchQuery)
    message = too_deep(search.limit, search.offset)
    if message:
        raise errors.RequestValidationError([errors.ErrorDetail(field="offset", message=message)])
    backend: SearchBackend = current_app.extensions[_KEY]
    return backend.search(search.q, search.limit, search.offset).model_dump(mode="json")


def install(app: Flask, settings: Settings) -> None:
    """Add the search route and its backend; `SearchSettings` are read there, not `settings`."""
    state = app_state(app)
    backend = open_search(state.orders)
    events.subscribe(app, backend.on_change)
    app.extensions[_KEY] = backend
    state.ready_checks["search"] = backend.ping
    state.shutdown_hooks.append(backend.close)
    openapi.add_paths(app, PATHS)
    app.register_blueprint(bp)
