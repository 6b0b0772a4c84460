"""`GET /orders/{id}/confirmation`, and the wiring of the confirmation job into the app.

The job itself, which no request waits for, is in `confirmations.py`.
"""

from flask import Blueprint, Flask
from flask.typing import ResponseReturnValue

from . import errors, events, openapi
from .config import Settings
from .confirmations import (
    ConfirmationOut,
    NotConfirmedError,
    find_confirmation,
    publisher,
    start_job,
)
from .state import app_state

bp = Blueprint("order_confirmations", __name__, url_prefix="/orders")

PATHS: openapi.PathItems = {
    "/orders/{order_id}/confirmation": {
        "parameters": [openapi.ORDER_ID],
        "get": {
            "tags": ["orders"],
            "summary": "Read an order's confirmation, once the worker has sent it",
            "operationId": "get_confirmation",
            "responses": {
                "200": openapi.json_content(ConfirmationOut, "The sent confirmation."),
                **openapi.error_responses(404),
            },
        },
    },
}


@bp.get("/<order_id>/confirmation")
def get_confirmation(order_id: str) -> ResponseReturnValue:
    """The order's confirmation once the worker has sent it; 404 until then."""
    try:
        confirmation = find_confirmation(app_state().orders, order_id)
    except NotConfirmedError as exc:
        raise errors.ApiError(404, "not_found", str(exc)) from exc
    return confirmation.model_dump(mode="json")


def install(app: Flask, settings: Settings) -> None:
    """Hand every new order to the job: via RabbitMQ when AMQP_URL is set, else in-process."""
    state = app_state(app)
    relay = start_job(state.orders)

    def check() -> None:
        if not relay.wait_ready(1.0):
            raise ConnectionError("the job queue cannot take messages")

    events.subscribe(app, publisher(relay))
    state.ready_checks["queue"] = check
    state.shutdown_hooks.append(relay.close)
    openapi.add_paths(app, PATHS, [(ConfirmationOut, "serialization")])
    app.register_blueprint(bp)
