"""A receipt: its file lives in STORAGES["receipts"], what the API says about it here.

The file's name is kept rather than a FileField: a FileField holds on to the storage it
was given when the models were loaded, and the store is looked up on each use instead.
"""

from django.db import models

from ..orders.models import Order


class Receipt(models.Model):
    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, primary_key=True, related_name="receipt"
    )
    # The order's id in a blob store (replaced whole); a fresh name per upload on disk.
    file_name = models.CharField(max_length=255)
    # Kept as sent and sent back as stored; a store need not keep it (a directory cannot).
    content_type = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField()
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "receipts"

    def __str__(self) -> str:
        return f"Receipt of order {self.order_id}"
