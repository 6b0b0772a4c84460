"""Request and response bodies of the orders API, with the contract's validation rules."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from .domain import OrderStatus

# Storage limits, not business rules: item numbers fit a 32-bit column, totals a 64-bit one.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

# JSON integers only: "2" or 2.0 is a client bug worth reporting, not guessing at.
Quantity = Annotated[int, Field(strict=True, ge=1, le=INT32_MAX)]
PriceCents = Annotated[int, Field(strict=True, ge=0, le=INT32_MAX)]


class OrderItemIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: Quantity
    unit_price_cents: PriceCents


class OrderCreate(BaseModel):
    """A new order; unknown fields are ignored."""

    customer_email: EmailStr
    items: list[OrderItemIn] = Field(min_length=1, max_length=100)

    @field_validator("items")
    @classmethod
    def _total_fits(cls, items: list[OrderItemIn]) -> list[OrderItemIn]:
        if sum(item.quantity * item.unit_price_cents for item in items) > INT64_MAX:
            raise ValueError("the order total is too large")
        return items

    def total_cents(self) -> int:
        return sum(item.quantity * item.unit_price_cents for item in self.items)


class StatusChange(BaseModel):
    status: OrderStatus


class OrderItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: int
    unit_price_cents: int


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    customer_email: str
    items: list[OrderItemOut]
    total_cents: int
    status: OrderStatus
    created_at: datetime


class OrderPage(BaseModel):
    items: list[OrderOut]
    total: int
    limit: int
    offset: int
