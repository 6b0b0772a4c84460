"""`manage.py reindex`: rebuild the search index from the database (needs SEARCH_URL)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ....orders.models import Order
from ....orders.serializers import OrderSerializer
from ...backends import current_index


class Command(BaseCommand):
    help = "Rebuild the search index from every order in the database (needs SEARCH_URL)."

    def handle(self, *args: Any, **options: Any) -> None:
        index = current_index()
        if index is None:
            raise CommandError("SEARCH_URL is not set: searches run on the database, with no index")
        orders = Order.objects.prefetch_related("items").iterator(chunk_size=500)
        count = index.rebuild(OrderSerializer(order).data for order in orders)
        self.stdout.write(f"Indexed {count} orders into {index.index}")
