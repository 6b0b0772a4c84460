"""Request and response bodies of the orders API, with the contract's validation rules."""

from typing import Any

from django.db import transaction
from rest_framework import serializers

from ..domain import OrderStatus
from .models import INT32_MAX, INT64_MAX, Order, OrderItem


class StrictCharField(serializers.CharField):
    """JSON strings only, kept as sent: DRF would turn 123 into "123" and trim spaces."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField, StrictCharField):
    pass


class StrictIntegerField(serializers.IntegerField):
    """JSON integers only: "2", 2.0 or true is a client bug worth reporting, not guessing at."""

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class OrderItemInSerializer(serializers.Serializer):
    sku = StrictCharField(max_length=64)
    quantity = StrictIntegerField(min_value=1, max_value=INT32_MAX)
    unit_price_cents = StrictIntegerField(min_value=0, max_value=INT32_MAX)


class OrderCreateSerializer(serializers.Serializer):
    """A new order; unknown fields are ignored, and the status always starts as pending."""

    customer_email = StrictEmailField(max_length=320)
    items = OrderItemInSerializer(many=True, allow_empty=False, max_length=100)

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if total_cents(items) > INT64_MAX:
            raise serializers.ValidationError("The order total is too large.")
        return items

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Order:
        items = validated_data["items"]
        order = Order.objects.create(
            customer_email=validated_data["customer_email"], total_cents=total_cents(items)
        )
        OrderItem.objects.bulk_create(
            OrderItem(order=order, position=position, **item) for position, item in enumerate(items)
        )
        return order


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[status.value for status in OrderStatus])


class PageQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
    offset = serializers.IntegerField(min_value=0, default=0)


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ("sku", "quantity", "unit_price_cents")


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ("id", "customer_email", "items", "total_cents", "status", "created_at")


class OrderPageSerializer(serializers.Serializer):
    items = OrderSerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


def total_cents(items: list[dict[str, Any]]) -> int:
    return sum(item["quantity"] * item["unit_price_cents"] for item in items)
