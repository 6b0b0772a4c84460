from django.urls import path

from . import views

urlpatterns = [
    path("orders", views.OrderListView.as_view(), name="orders"),
    path("orders/<str:order_id>", views.OrderDetailView.as_view(), name="order"),
]
