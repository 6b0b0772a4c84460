from django.urls import path

from . import views

# Routed before the orders' `orders/<id>`, so `search` is never taken for an order id.
urlpatterns = [
    path("orders/search", views.SearchView.as_view(), name="order-search"),
]
