"""The orders resource: create, list, read, change status, delete."""

import uuid

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import errors
from ..domain import InvalidTransitionError, OrderStatus, check_transition
from . import events
from .models import Order
from .serializers import (
    OrderCreateSerializer,
    OrderPageSerializer,
    OrderSerializer,
    PageQuerySerializer,
    StatusChangeSerializer,
)


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI entries documenting the error envelope for these status codes."""
    return {code: OpenApiResponse(errors.ErrorSerializer) for code in status_codes}


class OrderListView(errors.JsonView):
    @extend_schema(
        operation_id="list_orders",
        parameters=[PageQuerySerializer],
        responses={200: OrderPageSerializer, **error_responses(422)},
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        """Newest first."""
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit, offset = query.validated_data["limit"], query.validated_data["offset"]
        orders = Order.objects.prefetch_related("items")[offset : offset + limit]
        page = {"items": orders, "total": Order.objects.count(), "limit": limit, "offset": offset}
        return Response(OrderPageSerializer(page).data)

    @extend_schema(
        operation_id="create_order",
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, **error_responses(400, 415, 422)},
        tags=["orders"],
    )
    def post(self, request: Request) -> Response:
        payload = OrderCreateSerializer(data=errors.request_body(request))
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            order = payload.save()
            body = OrderSerializer(order).data
            events.emit_on_commit("order.created", body)
        location = f"/orders/{order.pk}"
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class OrderDetailView(errors.JsonView):
    @extend_schema(
        operation_id="get_order",
        responses={200: OrderSerializer, **error_responses(404)},
        tags=["orders"],
    )
    def get(self, _request: Request, order_id: str) -> Response:
        order = found(Order.objects.prefetch_related("items"), order_id)
        return Response(OrderSerializer(order).data)

    @extend_schema(
        operation_id="change_order_status",
        request=StatusChangeSerializer,
        responses={200: OrderSerializer, **error_responses(400, 404, 409, 415, 422)},
        tags=["orders"],
    )
    def patch(self, request: Request, order_id: str) -> Response:
        """Move the order along its state machine (see `domain.TRANSITIONS`)."""
        change = StatusChangeSerializer(data=errors.request_body(request))
        change.is_valid(raise_exception=True)
        wanted = OrderStatus(change.validated_data["status"])
        with transaction.atomic():
            # Locked until the commit, so two requests cannot both move it from one status.
            order = found(Order.objects.select_for_update(), order_id)
            try:
                check_transition(OrderStatus(order.status), wanted)
            except InvalidTransitionError as exc:
                raise errors.Conflict(str(exc), code="invalid_transition") from exc
            order.status = wanted.value
            order.save(update_fields=["status", "updated_at"])
            body = OrderSerializer(order).data
            events.emit_on_commit("order.updated", body)
        return Response(body)

    @extend_schema(
        operation_id="delete_order",
        responses={204: None, **error_responses(404)},
        tags=["orders"],
    )
    def delete(self, _request: Request, order_id: str) -> Response:
        with transaction.atomic():
            order = found(Order.objects.select_for_update(), order_id)
            body = OrderSerializer(order).data
            order.delete()
            events.emit_on_commit("order.deleted", body)
        return Response(status=status.HTTP_204_NO_CONTENT)


def found(orders: QuerySet[Order], order_id: str) -> Order:
    """The order; a 404 for an id that names none (any id that is not a UUID included)."""
    try:
        return orders.get(pk=uuid.UUID(order_id))
    except (ValueError, Order.DoesNotExist):
        raise exceptions.NotFound(f"No order has the id {order_id!r}.") from None
