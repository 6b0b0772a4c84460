from django.urls import path

from . import views

urlpatterns = [
    path(
        "orders/<str:order_id>/confirmation",
        views.ConfirmationView.as_view(),
        name="order-confirmation",
    ),
]
