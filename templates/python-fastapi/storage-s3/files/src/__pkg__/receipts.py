"""Order receipts: one file per order, in an S3 bucket or, by default, on local disk.

`PUT /orders/{id}/receipt` stores the request body exactly as sent, with its Content-Type;
`GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
large download goes from the bucket to the client without passing through the app.
Deleting an order deletes its receipt (an `order.deleted` subscriber).

The backend is S3 when S3_BUCKET is set (S3_ENDPOINT points at MinIO or another S3-API
server instead of AWS), otherwise a directory, so the app runs with no server at all.
Only S3 can sign URLs; on disk, `?redirect=true` serves the file itself.

boto3 and file I/O block, so the routes are plain `def`s that FastAPI runs in its
threadpool; only reading the request body, which is async in ASGI, runs on the event loop.
"""

# `{id}` is bound through `orders.OrderId`, which is `Path(alias="id")`.
# ruff: noqa: FAST003

import logging
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any, ClassVar, Protocol, Self

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field, SecretStr, model_validator
from starlette.concurrency import run_in_threadpool

from . import errors, events
from .config import EnvSettings, Settings
from .orders import OrderId, found
from .store import OrdersDep

MIB = 1024 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"  # what HTTP says an unlabelled body is
# `type/subtype` with optional parameters; stored as sent and sent back as it was stored.
MEDIA_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;[\x20-\x7e\t]*)?", re.ASCII)
MAX_CONTENT_TYPE_LENGTH = 255
S3_KEY_PREFIX = "receipts/"
# Codes S3 (and S3-API servers) use for "no such object"; HEAD requests only get the status.
MISSING = frozenset({"404", "NoSuchKey", "NotFound"})

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/orders", tags=["receipts"])


class ReceiptSettings(EnvSettings):
    # The zero-service default: relative to the working directory, like the SQLite file.
    receipts_dir: Path = Path("data/receipts")
    receipt_max_bytes: int = Field(default=5 * MIB, gt=0)
    s3_bucket: str | None = None
    s3_endpoint: str | None = None
    s3_public_endpoint: str | None = None
    s3_region: str = "us-east-1"
    # Unset: boto3's own chain (instance or task role, ~/.aws) finds the credentials.
    aws_access_key_id: str | None = None
    aws_secret_access_key: SecretStr | None = None
    # For throwaway local servers only; production buckets belong to infrastructure code.
    s3_create_bucket: bool = False
    s3_url_expires_seconds: int = Field(default=300, ge=1, le=7 * 24 * 3600)  # SigV4's limit

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.s3_endpoint and not self.s3_bucket:
            raise ValueError("S3_ENDPOINT is set but S3_BUCKET is not: name the receipts bucket")
        if (self.aws_access_key_id is None) != (self.aws_secret_access_key is None):
            raise ValueError("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither")
        return self


@dataclass(frozen=True)
class Receipt:
    content: bytes
    content_type: str


class ReceiptStore(Protocol):
    """Where receipts live, keyed by order id (always a canonical UUID string)."""

    can_sign: ClassVar[bool]

    def put(self, order_id: str, receipt: Receipt) -> bool:
        """Store or replace the receipt; True when the order had none before."""
        ...

    def get(self, order_id: str) -> Receipt | None: ...
    def exists(self, order_id: str) -> bool: ...
    def delete(self, order_id: str) -> None: ...
    def signed_url(self, order_id: str, expires_seconds: int) -> str: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...


class DirectoryStore:
    """One file per order under a directory: the default, for one machine or a shared volume.

    Each file holds the content type on its first line, then the bytes, so that a write
    (a temporary file renamed over the old one) replaces both at once.
    """

    can_sign: ClassVar[bool] = False

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, order_id: str) -> Path:
        return self.root / str(uuid.UUID(order_id))  # never a path outside root

    def put(self, order_id: str, receipt: Receipt) -> bool:
        path = self._path(order_id)
        created = not path.exists()
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(receipt.content_type.encode("ascii") + b"\n" + receipt.content)
            Path(name).replace(path)  # atomic: readers see the old file or the new one
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return created

    def get(self, order_id: str) -> Receipt | None:
        try:
            stored = self._path(order_id).read_bytes()
        except FileNotFoundError:
            return None
        content_type, _, content = stored.partition(b"\n")
        return Receipt(content, content_type.decode("ascii"))

    def exists(self, order_id: str) -> bool:
        return self._path(order_id).is_file()

    def delete(self, order_id: str) -> None:
        self._path(order_id).unlink(missing_ok=True)

    def signed_url(self, order_id: str, expires_seconds: int) -> str:
        raise NotImplementedError("files on disk have no signed URLs")

    def ping(self) -> None:
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise OSError(f"{self.root} is not a writable directory")

    def close(self) -> None:
        """Nothing to release."""


class S3Store:
    """A bucket on AWS S3 or on any S3-API server; shared by every instance of the app."""

    can_sign: ClassVar[bool] = True

    def __init__(self, bucket: str, settings: ReceiptSettings) -> None:
        self.bucket = bucket
        self.create_bucket = settings.s3_create_bucket
        self.region = settings.s3_region
        self._client = _client(settings, settings.s3_endpoint)
        # Signing is offline, but the URL must name the host the client will connect to.
        public = settings.s3_public_endpoint
        self._signer = _client(settings, public) if public else self._client

    def put(self, order_id: str, receipt: Receipt) -> bool:
        created = not self.exists(order_id)
        self._client.put_object(
            Bucket=self.bucket,
            Key=_key(order_id),
            Body=receipt.content,
            ContentType=receipt.content_type,
        )
        return created

    def get(self, order_id: str) -> Receipt | None:
        try:
            stored = self._client.get_object(Bucket=self.bucket, Key=_key(order_id))
        except ClientError as exc:
            if _error_code(exc) in MISSING:
                return None
            raise
        with stored["Body"] as body:
            return Receipt(body.read(), stored.get("ContentType", DEFAULT_CONTENT_TYPE))

    def exists(self, order_id: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=_key(order_id))
        except ClientError as exc:
            if _error_code(exc) in MISSING:
                return False
            raise
        return True

    def delete(self, order_id: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=_key(order_id))  # no-op if absent

    def signed_url(self, order_id: str, expires_seconds: int) -> str:
        return self._signer.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": _key(order_id)},
            ExpiresIn=expires_seconds,
        )

    def ping(self) -> None:
        """The bucket answers; with S3_CREATE_BUCKET a missing one is created instead."""
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if not (self.create_bucket and _error_code(exc) in MISSING):
                raise
            self._create_bucket()

    def _create_bucket(self) -> None:
        logger.info("Creating bucket %r (S3_CREATE_BUCKET is set)", self.bucket)
        options: dict[str, Any] = {}
        if self.region != "us-east-1":  # the one region S3 refuses to be told explicitly
            options["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            self._client.create_bucket(Bucket=self.bucket, **options)
        except ClientError as exc:
            if _error_code(exc) != "BucketAlreadyOwnedByYou":  # another instance was first
                raise

    def close(self) -> None:
        self._client.close()
        if self._signer is not self._client:
            self._signer.close()


@cache
def _session() -> boto3.session.Session:
    """One per process: it keeps the S3 service model that every new session loads again."""
    return boto3.session.Session()


def _client(settings: ReceiptSettings, endpoint: str | None) -> BaseClient:
    secret = settings.aws_secret_access_key
    return _session().client(
        "s3",
        endpoint_url=endpoint,
        region_name=settings.s3_region,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=secret.get_secret_value() if secret else None,
        config=Config(
            signature_version="s3v4",
            # Servers behind an endpoint URL rarely resolve bucket subdomains.
            s3={"addressing_style": "path" if endpoint else "auto"},
            # A slow bucket should fail a request (and /ready) quickly, not hang it.
            connect_timeout=2,
            read_timeout=10,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    )


def _key(order_id: str) -> str:
    return f"{S3_KEY_PREFIX}{uuid.UUID(order_id)}"


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class ReceiptOut(BaseModel):
    order_id: str
    content_type: str
    size_bytes: int


def get_store(request: Request) -> ReceiptStore:
    store: ReceiptStore = request.app.state.receipt_store
    return store


StoreDep = Annotated[ReceiptStore, Depends(get_store)]


async def read_receipt(request: Request) -> Receipt:
    """The request body and its type, refused as soon as it grows past the limit."""
    limit: int = request.app.state.receipt_settings.receipt_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)  # no need to read what cannot be kept
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_large(limit)
    content_type = request.headers.get("content-type", "").strip() or DEFAULT_CONTENT_TYPE
    if len(content_type) > MAX_CONTENT_TYPE_LENGTH or not MEDIA_TYPE.fullmatch(content_type):
        raise _invalid(("header", "content-type"), "must be a media type such as application/pdf")
    if not body:
        raise _invalid(("body",), "the receipt must not be empty")
    return Receipt(bytes(body), content_type)


@router.put(
    "/{id}/receipt",
    responses={
        status.HTTP_200_OK: {"description": "Replaced the order's earlier receipt"},
        status.HTTP_201_CREATED: {"model": ReceiptOut, "description": "Stored the first receipt"},
        **errors.responses(404, 413, 422),
    },
    # The body is the file itself, read raw by `read_receipt`, so OpenAPI is told here.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def put_receipt(
    order_id: OrderId,
    receipt: Annotated[Receipt, Depends(read_receipt)],
    orders: OrdersDep,
    store: StoreDep,
    response: Response,
) -> ReceiptOut:
    """Store the body as the order's receipt: 201 the first time, 200 when replacing."""
    key = found(orders.get(order_id), order_id).id
    if store.put(key, receipt):
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"{router.prefix}/{key}/receipt"
    return ReceiptOut(
        order_id=key, content_type=receipt.content_type, size_bytes=len(receipt.content)
    )


@router.get(
    "/{id}/receipt",
    response_class=Response,
    responses={
        status.HTTP_200_OK: {
            "content": {"*/*": {}},
            "description": "The receipt, with the Content-Type it was stored with",
        },
        status.HTTP_307_TEMPORARY_REDIRECT: {
            "description": "With `redirect=true` and a bucket that can sign: a signed URL"
        },
        **errors.responses(404, 422),
    },
)
def get_receipt(
    order_id: OrderId,
    orders: OrdersDep,
    store: StoreDep,
    request: Request,
    redirect: Annotated[
        bool, Query(description="Prefer a 307 to a short-lived signed URL, where possible.")
    ] = False,
) -> Response:
    key = found(orders.get(order_id), order_id).id
    if redirect and store.can_sign:
        if not store.exists(key):
            raise _no_receipt(key)
        expires = request.app.state.receipt_settings.s3_url_expires_seconds
        return RedirectResponse(
            store.signed_url(key, expires),
            status_code=status.HTTP_307_TEMPORARY_REDIRECT,
            headers={"Cache-Control": "no-store"},  # the URL stops working; never reuse it
        )
    receipt = store.get(key)
    if receipt is None:
        raise _no_receipt(key)
    # Set as a header, not `media_type`, so Starlette adds no charset: the type goes back as sent.
    return Response(receipt.content, headers={"Content-Type": receipt.content_type})


def _no_receipt(order_id: str) -> errors.ApiError:
    return errors.ApiError(
        status.HTTP_404_NOT_FOUND, "not_found", f"The order {order_id} has no receipt."
    )


def _too_large(limit: int) -> errors.ApiError:
    return errors.ApiError(
        status.HTTP_413_CONTENT_TOO_LARGE,
        "payload_too_large",
        f"A receipt may hold at most {limit} bytes.",
    )


def _invalid(location: tuple[str, ...], message: str) -> RequestValidationError:
    """A 422 in the same shape as FastAPI's own, `details` naming the field."""
    return RequestValidationError([{"type": "value_error", "loc": location, "msg": message}])


def install(app: FastAPI, settings: Settings) -> None:
    """Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete.

    Reads its own `ReceiptSettings`, not the app's `settings`.
    """
    receipt_settings = ReceiptSettings()
    store: ReceiptStore = (
        S3Store(receipt_settings.s3_bucket, receipt_settings)
        if receipt_settings.s3_bucket
        else DirectoryStore(receipt_settings.receipts_dir)
    )
    if receipt_settings.s3_create_bucket:
        try:
            store.ping()  # creates the bucket when it is missing
        except Exception:
            logger.warning("Could not check or create the receipts bucket", exc_info=True)

    def delete_receipt(event: events.OrderEvent, order: dict[str, Any]) -> None:
        if event == "order.deleted":
            store.delete(order["id"])

    app.state.receipt_settings = receipt_settings
    app.state.receipt_store = store
    app.state.ready_checks["storage"] = partial(run_in_threadpool, store.ping)
    app.state.shutdown_hooks.append(partial(run_in_threadpool, store.close))
    events.subscribe(app, delete_receipt)
    app.include_router(router)
