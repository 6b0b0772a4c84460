"""One error envelope for every failure: `{"error": {"code", "message", "details"}}`."""

from collections.abc import Callable, Coroutine, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match


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


def responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting the error envelope for these status codes."""
    return {
        code: {"model": ErrorResponse, "description": HTTPStatus(code).phrase}
        for code in status_codes
    }


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


class JsonBodyRoute(APIRoute):
    """A route whose body is judged as the contract says, before FastAPI reads it.

    FastAPI parses a body labelled `application/json` or any `+json` type, passes any other
    to validation as bytes (a 422), and takes an empty one for a missing body (a 422 too).
    The contract asks for `415 unsupported_media_type` for any media type but
    `application/json` (or a body without one), and `400 malformed_json` for an empty JSON
    body. Routes without a body are served as they are.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if self.body_field is None:
            return handle

        async def judged(request: Request) -> Response:
            await _check_json_body(request)
            return await handle(request)

        return judged


async def _check_json_body(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if not content_type:
        # No label: fine without a body (validation names the missing body), else a 415.
        length = request.headers.get("content-length")
        chunked = "transfer-encoding" in request.headers
        if chunked or (length is not None and length != "0"):
            raise _unsupported_media_type()
        return
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        raise _unsupported_media_type()
    # Read once: FastAPI takes the same bytes from the request afterwards.
    if not await request.body():
        raise ApiError(400, "malformed_json", "The request body is empty, which is not valid JSON.")


def _unsupported_media_type() -> ApiError:
    message = "Send the body as JSON, with Content-Type: application/json."
    return ApiError(415, "unsupported_media_type", message)


def register(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)


async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status_code, exc.code, exc.message)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """Routing failures (unknown path: 404, wrong method: 405) and any HTTPException."""
    status = HTTPStatus(exc.status_code)
    code = status.phrase.lower().replace(" ", "_")  # "Not Found" -> "not_found"
    message = exc.detail if exc.detail != status.phrase else f"{status.description}."
    headers = exc.headers
    if status is HTTPStatus.METHOD_NOT_ALLOWED:
        headers = {"Allow": _allowed_methods(request)}
    return error_response(exc.status_code, code, message, headers=headers)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(error["type"] == "json_invalid" for error in errors):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    details = [ErrorDetail(field=_field(error["loc"]), message=error["msg"]) for error in errors]
    message = "The request failed validation; see details."
    return error_response(422, "validation_error", message, details)


async def _unexpected_error(_request: Request, _exc: Exception) -> JSONResponse:
    """No internals leak to the client; the server still logs the traceback.

    Starlette re-raises the exception after this response is sent, so uvicorn logs it.
    """
    return error_response(500, "internal_error", "Something went wrong on our side.")


def _allowed_methods(request: Request) -> str:
    """Every method the path accepts; Starlette's own header names only the first route's."""
    return ", ".join(
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    )


def _field(location: Sequence[str | int]) -> str:
    """Where the error is, without the part of the request it came from.

    `("body", "items", 0, "quantity")` -> `"items.0.quantity"`, `("query", "limit")` -> `"limit"`
    """
    path = location[1:] or location
    return ".".join(str(part) for part in path)
