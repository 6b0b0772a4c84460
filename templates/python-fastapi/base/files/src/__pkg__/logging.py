"""Structured logs: one JSON object per line on stdout, ready for any log collector."""

import json
import logging
import sys
from datetime import UTC, datetime

_HANDLER_NAME = "json-stdout"
# Attributes every LogRecord has; anything else on a record came in through `extra=`.
# uvicorn's `color_message` duplicates the message with terminal colours.
_STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    """Render a record as a single JSON line, keeping fields passed with `extra=`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _STANDARD_ATTRIBUTES
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    """Send every log record, uvicorn's included, through one JSON handler on stdout.

    Safe to call more than once (tests build many apps); handlers that others added to
    the root logger, such as pytest's, are left alone.
    """
    root = logging.getLogger()
    root.setLevel(level)
    if not any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
