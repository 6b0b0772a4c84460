"""The receipts' files in the store: readiness, clean-up, and the blob store's bucket.

`backend.py` knows the blob store's own calls; a directory on disk needs none of them.
"""

import os
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction

from . import backend


def receipts() -> Storage:
    return storages["receipts"]


def can_sign() -> bool:
    """Only a blob store signs links; a directory's files are served by the app."""
    return not isinstance(storages["receipt_links"], FileSystemStorage)


def ping() -> None:
    """Readiness: the store answers (the bucket or container exists, the directory is writable)."""
    storage = receipts()
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        root.mkdir(parents=True, exist_ok=True)
        if not os.access(root, os.W_OK | os.X_OK):
            raise OSError(f"{root} is not a writable directory")
    else:
        backend.ping(storage)


def create_missing() -> None:
    """Make a missing bucket or container, when the environment asks (local servers only)."""
    storage = receipts()
    if not isinstance(storage, FileSystemStorage):
        backend.create_missing(storage)


def delete_file(*, instance: Any, **_kwargs: Any) -> None:
    """Receiver of the receipt's post_delete: the file goes once the deletion is committed."""
    name = instance.file_name
    transaction.on_commit(lambda: receipts().delete(name))


def links() -> Storage:
    return storages["receipt_links"]
