"""`GET /orders/{id}/confirmation`: the order's confirmation once the job has sent it."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..orders.models import Order
from ..orders.views import error_responses, found
from .models import OrderConfirmation


class ConfirmationSerializer(serializers.ModelSerializer):
    order_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["sent"])

    class Meta:
        model = OrderConfirmation
        fields = ("order_id", "status", "sent_at")


class ConfirmationView(APIView):
    @extend_schema(
        operation_id="get_order_confirmation",
        responses={200: ConfirmationSerializer, **error_responses(404)},
        tags=["orders"],
    )
    def get(self, _request: Request, order_id: str) -> Response:
        """The order's confirmation once the worker has sent it; 404 until then."""
        order = found(Order.objects, order_id)
        confirmation = OrderConfirmation.objects.filter(order=order).first()
        if confirmation is None:
            raise exceptions.NotFound(f"Order {order.pk} has not been confirmed yet.")
        return Response(ConfirmationSerializer(confirmation).data)
