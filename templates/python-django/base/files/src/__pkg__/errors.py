"""One error envelope for every failure: `{"error": {"code", "message", "details"}}`.

Django REST framework answers errors in shapes of its own; `exception_handler` (named in
the REST_FRAMEWORK setting) turns each into the envelope, and `not_found` and
`server_error` (Django's handler404 and handler500, see urls.py) do the same for unknown
routes and crashes. `JsonView` judges a request's body as the contract says before its
handler reads it.
"""

from collections.abc import Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ErrorDetailSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = ErrorDetailSerializer(many=True, allow_null=True)


class ErrorSerializer(serializers.Serializer):
    """The envelope, for the OpenAPI document."""

    error = ErrorBodySerializer()


class Conflict(exceptions.APIException):
    """The request is valid, but the resource's state forbids it (raise it with a `code`)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def envelope(
    code: str, message: str, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """The envelope for every error a view raises; None (a 500) for anything unexpected."""
    response = drf_exception_handler(exc, dict(context))
    if response is None:
        return None  # Django logs the traceback and answers through server_error below
    if isinstance(exc, exceptions.ValidationError):
        response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
        message = "The request failed validation; see details."
        response.data = envelope("validation_error", message, list(_details(exc.detail, ())))
    elif isinstance(exc, exceptions.ParseError):
        response.data = envelope("malformed_json", str(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        response.data = envelope(_code_of(exc), str(exc.detail))
    else:  # Django's Http404 or PermissionDenied, which DRF answered as its own
        response.data = envelope(_code_of_status(response.status_code), _message_of(response))
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's handler404: a route nobody serves."""
    del request, exception
    message = "No route matches this path."
    return JsonResponse(envelope("not_found", message), status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    """Django's handler500: no internals leak to the client; Django has logged the traceback."""
    del request
    message = "Something went wrong on our side."
    return JsonResponse(envelope("internal_error", message), status=500)


class JsonView(APIView):
    """A view whose bodies are judged as the contract says, before a handler reads them.

    Django REST framework parses a body only when it has one and it is labelled with a
    media type a parser takes, and it takes an empty body for no data at all. The
    contract asks for `415 unsupported_media_type` for any media type but
    `application/json` (a body without a label included), `400 malformed_json` for an
    empty JSON body, and a 422 naming `body` when there is no body. Methods the view does
    not serve are left to the 405 that follows.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in BODY_METHODS and hasattr(self, request.method.lower()):
            _judge_body(request)


def request_body(request: Request) -> Any:
    """The parsed JSON body of a request `JsonView` judged, for a serializer to validate."""
    if not request.content_type:  # no body at all (any other would have been refused)
        raise exceptions.ValidationError({NON_FIELD: ["A JSON body is required."]})
    return request.data


def _judge_body(request: Request) -> None:
    content_type = request.content_type
    if not content_type:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length != "0" or "HTTP_TRANSFER_ENCODING" in request.META:
            raise _unsupported_media_type(content_type)
        return  # no body at all: request_body() names the missing body
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        raise _unsupported_media_type(content_type)
    if not request.body:
        raise exceptions.ParseError("The request body is empty, which is not valid JSON.")


def _unsupported_media_type(content_type: str) -> exceptions.UnsupportedMediaType:
    message = "Send the body as JSON, with Content-Type: application/json."
    return exceptions.UnsupportedMediaType(content_type, detail=message)


def _details(errors: Any, path: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Each message with the field it is about, as a dotted path (`items.0.quantity`).

    DRF nests errors as the data was nested: dicts by field name (`non_field_errors` for
    the object itself), lists by position for many items (empty where an item was valid).
    """
    if isinstance(errors, Mapping):
        for key, nested in errors.items():
            yield from _details(nested, path if key == NON_FIELD else (*path, str(key)))
    elif isinstance(errors, Sequence) and not isinstance(errors, str):
        if all(isinstance(error, str) for error in errors):
            field = ".".join(path) or "body"
            yield from ({"field": field, "message": str(error)} for error in errors)
        else:
            for index, nested in enumerate(errors):
                yield from _details(nested, (*path, str(index)))
    else:
        yield {"field": ".".join(path) or "body", "message": str(errors)}


def _code_of(exc: exceptions.APIException) -> str:
    """The code the exception was raised with (`not_found`, `method_not_allowed`, ...)."""
    code = exc.get_codes()
    return code if isinstance(code, str) and code != "error" else _code_of_status(exc.status_code)


def _code_of_status(status_code: int) -> str:
    return HTTPStatus(status_code).phrase.lower().replace(" ", "_")  # "Not Found" -> "not_found"


def _message_of(response: Response) -> str:
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    return str(detail) if detail else f"{HTTPStatus(response.status_code).description}."
