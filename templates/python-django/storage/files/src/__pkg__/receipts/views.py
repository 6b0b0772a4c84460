"""`PUT` and `GET /orders/{id}/receipt`: the request body stored exactly as sent.

`PUT` keeps the body with its Content-Type (201 the first time, 200 when replacing);
`GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
large download goes from the blob store to the client without passing through the app.
On disk nothing signs, and `?redirect=true` serves the file itself. The body is judged
(size, type, emptiness) before the order is looked up, as a PATCH's is.
"""

import re
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..orders.models import Order
from ..orders.views import error_responses, found
from . import store
from .models import Receipt

DEFAULT_CONTENT_TYPE = "application/octet-stream"  # what HTTP says an unlabelled body is
# `type/subtype` with optional parameters; stored as sent and sent back as it was stored.
MEDIA_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;[\x20-\x7e\t]*)?", re.ASCII)
MAX_CONTENT_TYPE_LENGTH = 255
# A body too large is still read (and dropped) up to this size, so the client gets the 413.
DRAIN_MAX_BYTES = 64 * 1024 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


class ReceiptSerializer(serializers.Serializer):
    order_id = serializers.CharField()
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()


class ReceiptQuerySerializer(serializers.Serializer):
    redirect = serializers.BooleanField(
        default=False, help_text="Prefer a 307 to a short-lived signed URL, where possible."
    )


class ReceiptView(APIView):
    # The body is the file itself, read raw: no parser may touch it.
    parser_classes = ()

    @extend_schema(
        operation_id="put_receipt",
        request={"*/*": OpenApiTypes.BINARY},
        responses={
            200: OpenApiResponse(ReceiptSerializer, "Replaced the order's earlier receipt"),
            201: OpenApiResponse(ReceiptSerializer, "Stored the first receipt"),
            **error_responses(404, 413, 422),
        },
        tags=["receipts"],
    )
    def put(self, request: Request, order_id: str) -> Response:
        """Store the body as the order's receipt: 201 the first time, 200 when replacing."""
        content, content_type = read_receipt(request)
        with transaction.atomic():
            order = found(Order.objects.select_for_update(), order_id)
            existing = Receipt.objects.filter(order=order).first()
            created = existing is None
            receipt = existing or Receipt(order=order)
            earlier = receipt.file_name
            upload = ContentFile(content)
            upload.content_type = content_type  # the blob stores keep it with the file
            # A blob store replaces the order's object; a directory writes a new file.
            receipt.file_name = store.receipts().save(str(order.pk), upload)
            receipt.content_type, receipt.size_bytes = content_type, len(content)
            receipt.save()
            if earlier and earlier != receipt.file_name:
                transaction.on_commit(partial(store.receipts().delete, earlier))
        body = ReceiptSerializer(
            {"order_id": str(order.pk), "content_type": content_type, "size_bytes": len(content)}
        ).data
        if not created:
            return Response(body)
        location = f"/orders/{order.pk}/receipt"
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        operation_id="get_receipt",
        parameters=[ReceiptQuerySerializer],
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, "The receipt, with the Content-Type it was stored with"
            ),
            307: OpenApiResponse(
                description="With `redirect=true` and a store that can sign: a signed URL"
            ),
            **error_responses(404, 422),
        },
        tags=["receipts"],
    )
    def get(self, request: Request, order_id: str) -> HttpResponse:
        query = ReceiptQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        order = found(Order.objects, order_id)
        receipt = Receipt.objects.filter(order=order).first()
        if receipt is None:
            raise exceptions.NotFound(f"The order {order.pk} has no receipt.")
        if query.validated_data["redirect"] and store.can_sign():
            expires = settings.RECEIPT_URL_EXPIRES_SECONDS
            response = HttpResponse(status=status.HTTP_307_TEMPORARY_REDIRECT)
            response["Location"] = store.links().url(receipt.file_name, expire=expires)
            response["Cache-Control"] = "no-store"  # the URL stops working; never reuse it
            return response
        try:
            file = store.receipts().open(receipt.file_name, "rb")
        except FileNotFoundError:
            raise exceptions.NotFound(f"The order {order.pk} has no receipt.") from None
        # Streamed from the store; the type goes back exactly as it was sent.
        return FileResponse(file, content_type=receipt.content_type)


def read_receipt(request: Request) -> tuple[bytes, str]:
    """The body and its type, refused once it grows past the limit, before any order lookup.

    Django reads a body only as far as its Content-Length, so a chunked one arrives empty.
    """
    limit = settings.RECEIPT_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or ""
    stream = request.stream
    if declared.isdigit() and int(declared) > limit:
        # Nothing of it is kept, but a client that sends it all before reading the answer
        # would see the connection reset, not the 413, if it were left unread.
        if stream is not None and int(declared) <= DRAIN_MAX_BYTES:
            while stream.read(64 * 1024):
                pass
        raise too_large(limit)
    content = stream.read(limit + 1) if stream is not None else b""
    if len(content) > limit:
        raise too_large(limit)
    content_type = request.META.get("CONTENT_TYPE", "").strip() or DEFAULT_CONTENT_TYPE
    if len(content_type) > MAX_CONTENT_TYPE_LENGTH or not MEDIA_TYPE.fullmatch(content_type):
        raise exceptions.ValidationError(
            {"content-type": ["must be a media type such as application/pdf"]}
        )
    if not content:
        raise exceptions.ValidationError({"body": ["the receipt must not be empty"]})
    return content, content_type


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"A receipt may hold at most {limit} bytes.")
