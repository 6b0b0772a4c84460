"""`GET /orders/search?q=&limit=&offset=`: the same page shape as `GET /orders`, newest first."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..orders.serializers import OrderPageSerializer, PageQuerySerializer
from ..orders.views import error_responses
from . import backends

# OpenSearch pages through at most this many hits with from/size (its max_result_window);
# the database keeps the same limit, so both answer the same requests.
MAX_RESULT_WINDOW = 10_000


class SearchQuerySerializer(PageQuerySerializer):
    q = serializers.CharField(
        max_length=200,  # after the surrounding spaces are trimmed
        help_text="An e-mail address, its local part or domain, or a SKU; case is ignored.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["offset"] + attrs["limit"] > MAX_RESULT_WINDOW:
            message = f"offset + limit must not exceed {MAX_RESULT_WINDOW}; narrow the search"
            raise serializers.ValidationError({"offset": [message]})
        return attrs


class SearchView(APIView):
    @extend_schema(
        operation_id="search_orders",
        parameters=[SearchQuerySerializer],
        responses={200: OrderPageSerializer, **error_responses(422)},
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        """Orders whose e-mail address, its local part or domain, or a SKU equals `q`.

        Newest first. `offset + limit` may not pass 10,000: narrow the search to reach
        older matches.
        """
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text, limit, offset = (query.validated_data[k] for k in ("q", "limit", "offset"))
        items, total = backends.search(text, limit, offset)
        return Response({"items": items, "total": total, "limit": limit, "offset": offset})
