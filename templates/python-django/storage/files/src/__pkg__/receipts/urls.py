from django.urls import path

from . import views

urlpatterns = [
    path("orders/<str:order_id>/receipt", views.ReceiptView.as_view(), name="order-receipt"),
]
