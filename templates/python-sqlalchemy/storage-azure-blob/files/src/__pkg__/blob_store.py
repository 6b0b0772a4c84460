"""Receipts in an Azure Blob Storage container: on Azure, or on Azurite, its emulator.

`open_store()` returns the container when AZURE_STORAGE_CONTAINER is set, and None
otherwise, which leaves the receipts on local disk (`receipt_store.DirectoryStore`).

Two ways in, as the environment says:
- AZURE_STORAGE_CONNECTION_STRING: the account key (Azurite, or an account that allows
  shared keys); signed links are service SAS, signed with that key.
- AZURE_STORAGE_ACCOUNT_URL: Microsoft Entra ID through `DefaultAzureCredential` (on
  Azure, the app's managed identity; AZURE_CLIENT_ID names a user-assigned one). Signed
  links are user delegation SAS, signed with a key the service hands that identity.
"""

import contextlib
import logging
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Self
from urllib.parse import quote

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential
from azure.storage.blob import (
    BlobClient,
    BlobSasPermissions,
    BlobServiceClient,
    ContentSettings,
    UserDelegationKey,
    generate_blob_sas,
)
from pydantic import SecretStr, model_validator

from .config import EnvSettings
from .receipt_store import DEFAULT_CONTENT_TYPE, Receipt

BLOB_PREFIX = "receipts/"
# Storage signs delegation keys for at most seven days; a fresh one is asked for before.
DELEGATION_KEY_LIFETIME = timedelta(days=7) - timedelta(minutes=5)
# A link is valid from a little before now, for clocks that run slightly behind.
CLOCK_SKEW = timedelta(minutes=5)
# A slow account should fail a request (and /ready) quickly, not hang it.
CLIENT_OPTIONS: dict[str, Any] = {"connection_timeout": 2, "read_timeout": 10, "retry_total": 2}

logger = logging.getLogger(__name__)
# The SDK logs every request and response at INFO; the app's own request log is enough.
logging.getLogger("azure.core.pipeline.policies.http_logging_policy").setLevel(logging.WARNING)


class AzureBlobSettings(EnvSettings):
    azure_storage_container: str | None = None
    azure_storage_connection_string: SecretStr | None = None
    azure_storage_account_url: str | None = None
    # Where clients reach the account when it is not where the app does (Docker Compose).
    azure_storage_public_url: str | None = None
    # For throwaway local servers only; production containers belong to infrastructure code.
    azure_storage_create_container: bool = False

    @model_validator(mode="after")
    def _complete(self) -> Self:
        ways = [self.azure_storage_connection_string, self.azure_storage_account_url]
        if self.azure_storage_container and ways.count(None) != 1:
            raise ValueError(
                "AZURE_STORAGE_CONTAINER needs exactly one of AZURE_STORAGE_CONNECTION_STRING"
                " and AZURE_STORAGE_ACCOUNT_URL"
            )
        if not self.azure_storage_container and ways.count(None) != 2:
            raise ValueError("the Azure Storage account is set but AZURE_STORAGE_CONTAINER is not")
        return self


def open_store() -> "AzureBlobStore | None":
    settings = AzureBlobSettings()
    container = settings.azure_storage_container
    return AzureBlobStore(container, settings) if container else None


class AzureBlobStore:
    """A private container, shared by every instance of the app."""

    can_sign: ClassVar[bool] = True

    def __init__(self, container: str, settings: AzureBlobSettings) -> None:
        self.create_missing = settings.azure_storage_create_container
        self._credential: DefaultAzureCredential | None = None
        if settings.azure_storage_connection_string:
            self._service = BlobServiceClient.from_connection_string(
                settings.azure_storage_connection_string.get_secret_value(), **CLIENT_OPTIONS
            )
        else:
            self._credential = DefaultAzureCredential()
            self._service = BlobServiceClient(
                str(settings.azure_storage_account_url),
                credential=self._credential,
                **CLIENT_OPTIONS,
            )
        self._container = self._service.get_container_client(container)
        self._public_url = (settings.azure_storage_public_url or self._service.url).rstrip("/")
        self._delegation_key: UserDelegationKey | None = None
        self._delegation_lock = threading.Lock()

    def _blob(self, order_id: str) -> BlobClient:
        return self._container.get_blob_client(_name(order_id))

    def put(self, order_id: str, receipt: Receipt) -> bool:
        blob = self._blob(order_id)
        settings = ContentSettings(content_type=receipt.content_type)
        try:  # `overwrite=False` is a conditional write: it fails if the blob exists
            blob.upload_blob(receipt.content, overwrite=False, content_settings=settings)
        except ResourceExistsError:
            blob.upload_blob(receipt.content, overwrite=True, content_settings=settings)
            return False
        return True

    def get(self, order_id: str) -> Receipt | None:
        try:
            download = self._blob(order_id).download_blob()
        except ResourceNotFoundError:
            return None
        content_type = download.properties.content_settings.content_type
        return Receipt(download.readall(), content_type or DEFAULT_CONTENT_TYPE)

    def exists(self, order_id: str) -> bool:
        return bool(self._blob(order_id).exists())

    def delete(self, order_id: str) -> None:
        with contextlib.suppress(ResourceNotFoundError):  # what is not there is deleted
            self._blob(order_id).delete_blob()

    def signed_url(self, order_id: str, expires_seconds: int) -> str:
        """A read-only SAS link to the blob, valid for `expires_seconds`."""
        now = datetime.now(UTC)
        expiry = now + timedelta(seconds=expires_seconds)
        name = _name(order_id)
        signing: dict[str, Any] = {}
        account_key = getattr(self._service.credential, "account_key", None)
        if account_key:
            signing["account_key"] = account_key
        else:
            key = self._user_delegation_key(expiry)
            signing["user_delegation_key"] = key
            expiry = min(expiry, _parse_time(key.signed_expiry))
        sas = generate_blob_sas(
            account_name=str(self._service.account_name),
            container_name=self._container.container_name,
            blob_name=name,
            permission=BlobSasPermissions(read=True),
            start=now - CLOCK_SKEW,
            expiry=expiry,
            **signing,
        )
        return f"{self._public_url}/{self._container.container_name}/{quote(name)}?{sas}"

    def _user_delegation_key(self, needed_until: datetime) -> UserDelegationKey:
        """The identity's signing key, asked for again shortly before it would run out."""
        with self._delegation_lock:
            key = self._delegation_key
            if key is None or _parse_time(key.signed_expiry) < needed_until:
                start = datetime.now(UTC)
                key = self._service.get_user_delegation_key(start, start + DELEGATION_KEY_LIFETIME)
                self._delegation_key = key
            return key

    def ping(self) -> None:
        """The container answers; with AZURE_STORAGE_CREATE_CONTAINER a missing one is made."""
        try:
            self._container.get_container_properties()
        except ResourceNotFoundError:
            if not self.create_missing:
                raise
            name = self._container.container_name
            logger.info("Creating container %r (AZURE_STORAGE_CREATE_CONTAINER is set)", name)
            with contextlib.suppress(ResourceExistsError):  # another instance was first
                self._container.create_container()

    def close(self) -> None:
        self._service.close()
        if self._credential is not None:
            self._credential.close()


def _name(order_id: str) -> str:
    return f"{BLOB_PREFIX}{uuid.UUID(order_id)}"


def _parse_time(value: str | None) -> datetime:
    """Storage's ISO 8601 times (`2026-12-08T10:00:00Z`); a missing one has already passed."""
    return datetime.fromisoformat(value) if value else datetime.min.replace(tzinfo=UTC)
