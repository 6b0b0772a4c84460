"""Receipts in an Azure Blob Storage container through django-storages (or on Azurite).

`blob_storages()` gives the container's two STORAGES entries when AZURE_STORAGE_CONTAINER
is set, and None otherwise, which leaves the receipts on local disk. Two ways in, as the
environment says:
- AZURE_STORAGE_CONNECTION_STRING: the account key (Azurite, or an account that allows
  shared keys); signed links are service SAS, signed with that key.
- AZURE_STORAGE_ACCOUNT_URL: Microsoft Entra ID through `DefaultAzureCredential` (on
  Azure, the app's managed identity; AZURE_CLIENT_ID names a user-assigned one). Signed
  links are user delegation SAS, signed with a key the service hands that identity.
`receipt_links` differs from `receipts` only by AZURE_STORAGE_PUBLIC_URL, the host that
clients reach the account by when it is not the app's (Docker Compose).
"""

import contextlib
import logging
from typing import Any
from urllib.parse import urlsplit

import environ
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient
from django.core.exceptions import ImproperlyConfigured
from storages.backends.azure_storage import AzureStorage

BLOB_PREFIX = "receipts"  # blobs are `receipts/<order id>`
# A slow account should fail a request (and /ready) quickly, not hang it.
CLIENT_OPTIONS: dict[str, Any] = {"connection_timeout": 2, "read_timeout": 10, "retry_total": 2}

env = environ.Env()
logger = logging.getLogger(__name__)
# The SDK logs every request and response at INFO; the app's own request log is enough.
logging.getLogger("azure.core.pipeline.policies.http_logging_policy").setLevel(logging.WARNING)


class ReceiptAzureStorage(AzureStorage):
    """django-storages' AzureStorage, on an account URL of any form (Azurite's included),
    and with the client options applied to connection strings too."""

    def get_default_settings(self) -> dict[str, Any]:
        return {**super().get_default_settings(), "account_url": None}

    def _get_service_client(self) -> BlobServiceClient:
        if self.connection_string:
            return BlobServiceClient.from_connection_string(
                self.connection_string, **self.client_options
            )
        return BlobServiceClient(
            self.account_url, credential=self.token_credential, **self.client_options
        )


def blob_storages(expires_seconds: int) -> dict[str, dict[str, Any]] | None:
    container = env.str("AZURE_STORAGE_CONTAINER", default="")
    connection_string = env.str("AZURE_STORAGE_CONNECTION_STRING", default="") or None
    account_url = env.str("AZURE_STORAGE_ACCOUNT_URL", default="") or None
    ways = [connection_string, account_url]
    if container and ways.count(None) != 1:
        raise ImproperlyConfigured(
            "AZURE_STORAGE_CONTAINER needs exactly one of AZURE_STORAGE_CONNECTION_STRING"
            " and AZURE_STORAGE_ACCOUNT_URL"
        )
    if not container:
        if ways.count(None) != 2:
            raise ImproperlyConfigured(
                "the Azure Storage account is set but AZURE_STORAGE_CONTAINER is not"
            )
        return None
    options: dict[str, Any] = {
        "azure_container": container,
        "location": BLOB_PREFIX,
        # One blob per order, replaced whole (an upload commits its blob at once).
        "overwrite_files": True,
        "expiration_secs": expires_seconds,
        "client_options": CLIENT_OPTIONS,
    }
    if connection_string:
        options["connection_string"] = connection_string
    else:
        options["account_url"] = account_url
        # The account's name, the first label of its host, goes into every SAS.
        options["account_name"] = str(urlsplit(account_url).hostname).split(".")[0]
        options["token_credential"] = DefaultAzureCredential()
    storage = {"BACKEND": f"{__name__}.ReceiptAzureStorage", "OPTIONS": options}
    public = env.str("AZURE_STORAGE_PUBLIC_URL", default="")
    links = storage
    if public:
        links = {**storage, "OPTIONS": {**options, "custom_domain": urlsplit(public).netloc}}
    return {"receipts": storage, "receipt_links": links}


def ping(storage: AzureStorage) -> None:
    """Readiness: the container answers."""
    storage.client.get_container_properties()


def create_missing(storage: AzureStorage) -> None:
    """With AZURE_STORAGE_CREATE_CONTAINER (throwaway local servers only), make the
    container if it is missing; production ones belong to infrastructure code. Trouble
    here is logged, and /ready reports it."""
    if not env.bool("AZURE_STORAGE_CREATE_CONTAINER", default=False):
        return
    try:
        try:
            storage.client.get_container_properties()
        except ResourceNotFoundError:
            name = storage.azure_container
            logger.info("Creating container %r (AZURE_STORAGE_CREATE_CONTAINER is set)", name)
            with contextlib.suppress(ResourceExistsError):  # another instance was first
                storage.client.create_container()
    except Exception:
        logger.warning("Could not check or create the receipts' container", exc_info=True)
