"""`manage.py worker`: consume the order-confirmation queue and run the job for each message.

A plain pika consumer (`messaging.Consumer`), not Celery: the app publishes plain JSON
events to a topic exchange that any consumer can read, the same messages as every other
stack's worker, and one job needs no task framework. Run as many as the backlog needs:
RabbitMQ shares the messages out. SIGTERM or Ctrl-C finishes the message in hand, then
disconnects; the messages it had been given but not started go back to the queue.
"""

import signal
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ....messaging import Consumer
from ...job import handle


class Command(BaseCommand):
    help = "Consume the order-confirmation queue from RabbitMQ (needs AMQP_URL)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.AMQP_URL:
            raise CommandError(
                "AMQP_URL is not set. Without a broker the app runs its jobs itself and needs"
                " no worker; set AMQP_URL (see .env.example) to run them in this process instead."
            )
        consumer = Consumer(settings.AMQP_URL, handle)

        def stop(_signum: int, _frame: FrameType | None) -> None:
            consumer.stop()  # only sets a flag: safe whatever the main thread was doing

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        consumer.run()
