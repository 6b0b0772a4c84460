/** The orders resource: create, list, read, change status, delete. */
import { All, Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from "@nestjs/common";
import type { Request, Response } from "express";

import type { Order, OrderPage } from "./domain.js";
import { MethodNotAllowedError } from "./errors.js";
import { OrdersService } from "./orders.service.js";
import { orderCreate, pageQuery, statusChange, type OrderCreate } from "./schemas.js";
import { ZodPipe } from "./zod.pipe.js";

/**
 * Each route's body and query string go through `ZodPipe` with the shared schemas. The
 * `@All()` handler of each path comes last: Nest registers the routes in the order of
 * the methods, so it only sees the methods the path does not take.
 */
@Controller("orders")
export class OrdersController {
  constructor(@Inject(OrdersService) private readonly orders: OrdersService) {}

  @Post()
  async create(
    @Body(new ZodPipe(orderCreate)) body: OrderCreate,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Order> {
    const created = await this.orders.create(body);
    response.location(`/orders/${created.id}`);
    return created;
  }

  @Get()
  list(@Query(new ZodPipe(pageQuery)) query: { limit: number; offset: number }): Promise<OrderPage> {
    return this.orders.page(query.limit, query.offset);
  }

  @All()
  otherOnOrders(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET", "POST");
  }

  @Get(":id")
  get(@Param("id") id: string): Promise<Order> {
    return this.orders.get(id);
  }

  @Patch(":id")
  changeStatus(@Param("id") id: string, @Body(new ZodPipe(statusChange)) body: { status: Order["status"] }): Promise<Order> {
    return this.orders.changeStatus(id, body.status);
  }

  @Delete(":id")
  @HttpCode(204)
  delete(@Param("id") id: string): Promise<void> {
    return this.orders.delete(id);
  }

  @All(":id")
  otherOnOrder(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET", "PATCH", "DELETE");
  }
}
