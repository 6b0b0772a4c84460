"""Receipts in an S3 bucket through django-storages: on AWS, or on any S3-API server.

`blob_storages()` gives the bucket's two STORAGES entries when S3_BUCKET is set, and None
otherwise, which leaves the receipts on local disk. `receipt_links` differs from
`receipts` only by S3_PUBLIC_ENDPOINT: signing is offline, but a signed URL must name the
host that clients will connect to.
"""

import logging
from typing import Any

import environ
from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

# Keys are `receipts/<order id>`.
KEY_PREFIX = "receipts"
# Codes S3 (and S3-API servers) use for "no such bucket"; HEAD requests only get the status.
MISSING = frozenset({"404", "NoSuchBucket", "NotFound"})

env = environ.Env()
logger = logging.getLogger(__name__)


def blob_storages(expires_seconds: int) -> dict[str, dict[str, Any]] | None:
    bucket = env.str("S3_BUCKET", default="")
    endpoint = env.str("S3_ENDPOINT", default="") or None
    if endpoint and not bucket:
        raise ImproperlyConfigured("S3_ENDPOINT is set but S3_BUCKET is not: name the bucket")
    if not bucket:
        return None
    access_key = env.str("AWS_ACCESS_KEY_ID", default="") or None
    secret_key = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
    if (access_key is None) != (secret_key is None):
        raise ImproperlyConfigured(
            "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither"
        )
    region = env.str("S3_REGION", default="us-east-1")

    def storage(endpoint_url: str | None) -> dict[str, Any]:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint_url,
                "region_name": region,
                # Unset: boto3's own chain (instance or task role, ~/.aws) finds them.
                "access_key": access_key,
                "secret_key": secret_key,
                "location": KEY_PREFIX,
                # One key per order, replaced whole (an S3 PUT is atomic).
                "file_overwrite": True,
                "default_acl": None,  # private, as the bucket is
                "querystring_auth": True,
                "querystring_expire": expires_seconds,
                "client_config": Config(
                    signature_version="s3v4",
                    # Servers behind an endpoint URL rarely resolve bucket subdomains.
                    s3={"addressing_style": "path" if endpoint_url else "auto"},
                    # A slow bucket should fail a request (and /ready) quickly, not hang it.
                    connect_timeout=2,
                    read_timeout=10,
                    retries={"mode": "standard", "max_attempts": 3},
                ),
            },
        }

    public = env.str("S3_PUBLIC_ENDPOINT", default="") or endpoint
    return {"receipts": storage(endpoint), "receipt_links": storage(public)}


def ping(storage: S3Storage) -> None:
    """Readiness: the bucket answers."""
    storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)


def create_missing(storage: S3Storage) -> None:
    """With S3_CREATE_BUCKET (throwaway local servers only), make the bucket if it is missing.

    Production buckets belong to infrastructure code; trouble here is logged, and /ready
    reports it.
    """
    if not env.bool("S3_CREATE_BUCKET", default=False):
        return
    client = storage.connection.meta.client
    try:
        try:
            client.head_bucket(Bucket=storage.bucket_name)
        except ClientError as exc:
            if _error_code(exc) not in MISSING:
                raise
            _create_bucket(client, storage)
    except Exception:
        logger.warning("Could not check or create the receipts' bucket", exc_info=True)


def _create_bucket(client: Any, storage: S3Storage) -> None:
    logger.info("Creating bucket %r (S3_CREATE_BUCKET is set)", storage.bucket_name)
    options: dict[str, Any] = {}
    if storage.region_name != "us-east-1":  # the one region S3 refuses to be told explicitly
        options["CreateBucketConfiguration"] = {"LocationConstraint": storage.region_name}
    try:
        client.create_bucket(Bucket=storage.bucket_name, **options)
    except ClientError as exc:
        if _error_code(exc) != "BucketAlreadyOwnedByYou":  # another instance was first
            raise


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
