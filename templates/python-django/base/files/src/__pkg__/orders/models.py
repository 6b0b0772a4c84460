"""The orders and their items; `migrations/` holds their history and must stay in step."""

import uuid

from django.db import models
from django.utils import timezone

from ..domain import OrderStatus

# Storage limits, not business rules: item numbers fit a 32-bit column, totals a 64-bit one.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer_email = models.EmailField(max_length=320)
    # Stored as plain text: adding a status later needs no database-specific ALTER TYPE.
    status = models.CharField(
        max_length=16,
        choices=[(status.value, status.value.capitalize()) for status in OrderStatus],
        default=OrderStatus.PENDING.value,
    )
    total_cents = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders"
        # Newest first; the id breaks ties between orders made in the same microsecond.
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Order {self.id} ({self.status})"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    sku = models.CharField(max_length=64)
    quantity = models.IntegerField()
    unit_price_cents = models.IntegerField()

    class Meta:
        db_table = "order_items"
        ordering = ("position",)
        constraints = (
            models.UniqueConstraint(fields=("order", "position"), name="order_items_position"),
        )

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"
