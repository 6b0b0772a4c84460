"""FastAPI dependencies: what a route asks for by type, built from the app's state."""

from typing import Annotated

from fastapi import Depends, Request

from .store import OrderStore


def get_orders(request: Request) -> OrderStore:
    store: OrderStore = request.app.state.orders
    return store


OrdersDep = Annotated[OrderStore, Depends(get_orders)]
