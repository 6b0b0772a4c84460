"""One error envelope for every failure: `{"error": {"code", "message", "details"}}`.

Request bodies and query strings are judged here too, as the contract says: the media
type first (415), then the JSON (400), then its shape against a pydantic model (422).
"""

import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import TypeVar

from flask import Flask, Response, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

Model = TypeVar("Model", bound=BaseModel)


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    """An expected failure that the client can act on, such as an unknown order."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message


class RequestValidationError(Exception):
    """The request's body or query string broke the rules of its model: a 422."""

    def __init__(self, details: list[ErrorDetail]) -> None:
        super().__init__(details)
        self.details = details


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details))
    response = jsonify(body.model_dump())
    response.status_code = status_code
    response.headers.update(headers or {})
    return response


def json_body(model: type[Model]) -> Model:
    """The request's JSON body as `model`; raises the contract's 415, 400 or 422."""
    content_type = request.headers.get("Content-Type")
    if not content_type:
        # No label: fine without a body (validation names the missing body), else a 415.
        if request.content_length or "Transfer-Encoding" in request.headers:
            raise _unsupported_media_type()
        raise RequestValidationError([ErrorDetail(field="body", message="Field required")])
    if request.mimetype != "application/json":  # lower-cased, parameters dropped
        raise _unsupported_media_type()
    raw = request.get_data()
    if not raw:
        raise ApiError(400, "malformed_json", "The request body is empty, which is not valid JSON.")
    try:
        data = json.loads(raw)
    except ValueError as exc:  # invalid UTF-8 included
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from exc
    return validated(model, data)


def query(model: type[Model]) -> Model:
    """The query string as `model` (the first value of each parameter); a 422 if invalid."""
    return validated(model, request.args.to_dict())


def validated(model: type[Model], data: object) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [
            ErrorDetail(field=_field(error["loc"]), message=error["msg"]) for error in exc.errors()
        ]
        raise RequestValidationError(details) from exc


def _unsupported_media_type() -> ApiError:
    message = "Send the body as JSON, with Content-Type: application/json."
    return ApiError(415, "unsupported_media_type", message)


def register(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(RequestValidationError, _invalid_request)
    app.register_error_handler(HTTPException, _http_error)
    # Flask logs any exception no handler took, then asks for the 500 handler.
    app.register_error_handler(InternalServerError, _unexpected_error)


def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status_code, exc.code, exc.message)


def _invalid_request(exc: RequestValidationError) -> Response:
    message = "The request failed validation; see details."
    return error_response(422, "validation_error", message, exc.details)


def _http_error(exc: HTTPException) -> Response:
    """Routing failures (unknown path: 404, wrong method: 405) and any other HTTP error."""
    status = HTTPStatus(exc.code or 500)
    code = status.phrase.lower().replace(" ", "_")  # "Not Found" -> "not_found"
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        # Every method of every route on the path, HEAD and OPTIONS included.
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return error_response(status, code, f"{status.description}.", headers=headers)


def _unexpected_error(_exc: InternalServerError) -> Response:
    """No internals leak to the client; Flask has already logged the traceback."""
    return error_response(500, "internal_error", "Something went wrong on our side.")


def _field(location: Sequence[str | int]) -> str:
    """Where the error is: `("items", 0, "quantity")` -> `"items.0.quantity"`.

    An error on the whole body (JSON that is not an object) has no location: `"body"`.
    """
    return ".".join(str(part) for part in location) or "body"
