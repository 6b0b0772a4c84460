"""The receipts' settings, read from the environment; settings.py imports them.

`RECEIPT_STORAGES` becomes two entries of Django's STORAGES: `receipts`, which keeps the
files, and `receipt_links`, which signs links to them (the same store, seen at the
address clients reach it by). They are the blob store of `backend.py` when its variables
name one, and otherwise a directory on local disk, which signs nothing.
"""

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from .backend import blob_storages

env = environ.Env()

MIB = 1024 * 1024
# Seven days is the longest any of the supported blob stores signs for.
MAX_EXPIRES_SECONDS = 7 * 24 * 3600

# The zero-service default: relative to the working directory, like the SQLite file.
RECEIPTS_DIR = env.str("RECEIPTS_DIR", default="data/receipts")
RECEIPT_MAX_BYTES = env.int("RECEIPT_MAX_BYTES", default=5 * MIB)
RECEIPT_URL_EXPIRES_SECONDS = env.int("RECEIPT_URL_EXPIRES_SECONDS", default=300)

if RECEIPT_MAX_BYTES <= 0:
    raise ImproperlyConfigured("RECEIPT_MAX_BYTES must be a positive number of bytes")
if not 1 <= RECEIPT_URL_EXPIRES_SECONDS <= MAX_EXPIRES_SECONDS:
    raise ImproperlyConfigured(
        f"RECEIPT_URL_EXPIRES_SECONDS must be between 1 and {MAX_EXPIRES_SECONDS} (7 days)"
    )

_on_disk: dict[str, Any] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": RECEIPTS_DIR},
}
RECEIPT_STORAGES: dict[str, dict[str, Any]] = blob_storages(RECEIPT_URL_EXPIRES_SECONDS) or {
    "receipts": _on_disk,
    "receipt_links": _on_disk,
}
