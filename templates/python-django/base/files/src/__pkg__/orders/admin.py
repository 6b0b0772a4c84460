"""The orders in Django's admin: listed, filtered and searched, read-only.

Changes go through the API, so that the state machine and the order events (which keep
a cache or a search index in step) apply to every one of them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Order, OrderItem


class ReadOnlyAdmin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderItemInline(ReadOnlyAdmin, admin.TabularInline):
    model = OrderItem
    fields = ("position", "sku", "quantity", "unit_price_cents")
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("id", "customer_email", "status", "total_cents", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("id", "customer_email", "items__sku")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = ("id", "customer_email", "status", "total_cents", "created_at", "updated_at")
    inlines = (OrderItemInline,)
