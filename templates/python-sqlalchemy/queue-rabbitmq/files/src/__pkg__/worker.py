"""The worker process: `python -m <package>.worker` (`make worker`, Compose's `worker`).

It consumes the order-confirmation queue from RabbitMQ and runs the job for each message
(see confirmations.py). Run as many as the backlog needs: RabbitMQ shares the messages out.
SIGTERM or Ctrl-C finishes the message in hand, then disconnects; the messages it had
been given but not started go back to the queue.
"""

import logging
import signal
import sys
from functools import partial
from types import FrameType

from .config import Settings
from .confirmations import QueueSettings, handle
from .logging import configure_logging
from .messaging import Consumer
from .store import open_store

# Run with `python -m`, this module is `__main__`: name its logger as when imported.
logger = logging.getLogger(f"{__package__}.worker")


def main() -> int:
    settings = Settings()
    configure_logging(settings.log_level)
    amqp_url = QueueSettings().amqp_url
    if not amqp_url:
        logger.error(
            "AMQP_URL is not set. Without a broker the app runs its jobs itself and needs no"
            " worker; set AMQP_URL (see .env.example) to run them in this process instead."
        )
        return 2
    store = open_store(settings.database_url)
    consumer = Consumer(amqp_url, partial(handle, store))

    def stop(_signum: int, _frame: FrameType | None) -> None:
        consumer.stop()  # only sets a flag: safe whatever the main thread was doing

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        consumer.run()
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
