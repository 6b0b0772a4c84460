"""One row per confirmed order; its key makes the job idempotent."""

from django.db import models

from ..orders.models import Order


class OrderConfirmation(models.Model):
    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, primary_key=True, related_name="confirmation"
    )
    status = models.CharField(max_length=16)
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "order_confirmations"

    def __str__(self) -> str:
        return f"Confirmation of order {self.order_id}"
