"""Receipts in an S3 bucket: on AWS, or on any S3-API server named by S3_ENDPOINT.

`open_store()` returns the bucket when S3_BUCKET is set, and None otherwise, which leaves
the receipts on local disk (`receipt_store.DirectoryStore`).
"""

import logging
import uuid
from functools import cache
from typing import Any, ClassVar, Self

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError
from pydantic import SecretStr, model_validator

from .config import EnvSettings
from .receipt_store import DEFAULT_CONTENT_TYPE, Receipt

KEY_PREFIX = "receipts/"
# Codes S3 (and S3-API servers) use for "no such object"; HEAD requests only get the status.
MISSING = frozenset({"404", "NoSuchKey", "NotFound"})

logger = logging.getLogger(__name__)


class S3Settings(EnvSettings):
    s3_bucket: str | None = None
    s3_endpoint: str | None = None
    s3_public_endpoint: str | None = None
    s3_region: str = "us-east-1"
    # Unset: boto3's own chain (instance or task role, ~/.aws) finds the credentials.
    aws_access_key_id: str | None = None
    aws_secret_access_key: SecretStr | None = None
    # For throwaway local servers only; production buckets belong to infrastructure code.
    s3_create_bucket: bool = False

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.s3_endpoint and not self.s3_bucket:
            raise ValueError("S3_ENDPOINT is set but S3_BUCKET is not: name the receipts bucket")
        if (self.aws_access_key_id is None) != (self.aws_secret_access_key is None):
            raise ValueError("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither")
        return self


def open_store() -> "S3Store | None":
    settings = S3Settings()
    return S3Store(settings.s3_bucket, settings) if settings.s3_bucket else None


class S3Store:
    """A bucket on AWS S3 or on any S3-API server; shared by every instance of the app."""

    can_sign: ClassVar[bool] = True

    def __init__(self, bucket: str, settings: S3Settings) -> None:
        self.bucket = bucket
        self.create_missing = settings.s3_create_bucket
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
            if not (self.create_missing and _error_code(exc) in MISSING):
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


def _client(settings: S3Settings, endpoint: str | None) -> BaseClient:
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
    return f"{KEY_PREFIX}{uuid.UUID(order_id)}"


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
