"""What every framework's receipt routes share: their settings, the rules an upload must
meet, the answer to an upload, and which store holds the receipts.

The routes themselves are the framework's `receipts.py`; the stores are in
`receipt_store.py` (the interface, and the directory on local disk) and `blob_store.py`.
"""

import logging
import re
from pathlib import Path

from pydantic import BaseModel, Field

from . import blob_store
from .config import EnvSettings
from .receipt_store import DEFAULT_CONTENT_TYPE, DirectoryStore, Receipt, ReceiptStore

MIB = 1024 * 1024
# `type/subtype` with optional parameters; stored as sent and sent back as it was stored.
MEDIA_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;[\x20-\x7e\t]*)?", re.ASCII)
MAX_CONTENT_TYPE_LENGTH = 255

logger = logging.getLogger(__name__)


class ReceiptSettings(EnvSettings):
    # The zero-service default: relative to the working directory, like the SQLite file.
    receipts_dir: Path = Path("data/receipts")
    receipt_max_bytes: int = Field(default=5 * MIB, gt=0)
    # Seven days is the longest any of the supported blob stores signs for.
    receipt_url_expires_seconds: int = Field(default=300, ge=1, le=7 * 24 * 3600)


class ReceiptOut(BaseModel):
    order_id: str
    content_type: str
    size_bytes: int


def uploaded(content: bytes, content_type_header: str | None) -> Receipt:
    """The upload as a receipt; `UploadRefusedError` naming the field when it is not one.

    An unlabelled upload is `application/octet-stream`, as HTTP says.
    """
    content_type = (content_type_header or "").strip() or DEFAULT_CONTENT_TYPE
    if len(content_type) > MAX_CONTENT_TYPE_LENGTH or not MEDIA_TYPE.fullmatch(content_type):
        raise UploadRefusedError(
            ("header", "content-type"), "must be a media type such as application/pdf"
        )
    if not content:
        raise UploadRefusedError(("body",), "the receipt must not be empty")
    return Receipt(content, content_type)


class UploadRefusedError(ValueError):
    """An upload that is no receipt: a 422, whose detail names `location`'s last part."""

    def __init__(self, location: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


def too_large_message(limit: int) -> str:
    """The 413's message, for an upload past RECEIPT_MAX_BYTES."""
    return f"A receipt may hold at most {limit} bytes."


def open_receipt_store(settings: ReceiptSettings) -> ReceiptStore:
    """The blob store once its settings name one, else the directory; a missing bucket or
    container is created now when its settings ask for that."""
    store: ReceiptStore = blob_store.open_store() or DirectoryStore(settings.receipts_dir)
    if store.create_missing:
        try:
            store.ping()  # creates the bucket or container when it is missing
        except Exception:
            logger.warning("Could not check or create the receipts' store", exc_info=True)
    return store
