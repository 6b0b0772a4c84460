"""Where receipts live: the interface every backend implements, and the local-disk one.

`blob_store.py` holds the remote backend of the blob store this project was generated
with; this directory store is the zero-service default, for one machine or a shared volume.
"""

import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

DEFAULT_CONTENT_TYPE = "application/octet-stream"  # what HTTP says an unlabelled body is


@dataclass(frozen=True)
class Receipt:
    content: bytes
    content_type: str


class ReceiptStore(Protocol):
    """Receipts keyed by order id (always a canonical UUID string)."""

    can_sign: ClassVar[bool]
    # `ping()` creates a missing bucket or container (local throwaway servers only).
    create_missing: bool

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
    """One file per order under a directory.

    Each file holds the content type on its first line, then the bytes, so that a write
    (a temporary file renamed over the old one) replaces both at once.
    """

    can_sign: ClassVar[bool] = False

    def __init__(self, root: Path) -> None:
        self.create_missing = False  # the directory is made right here
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
