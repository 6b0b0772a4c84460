/** OrdersModule: the /orders routes over OrdersService (the store and events come from ContextModule). */
import { Module } from "@nestjs/common";

import { OrdersController } from "./orders.controller.js";
import { OrdersService } from "./orders.service.js";

// A Nest module is its decorator: the class itself holds nothing.
@Module({ controllers: [OrdersController], providers: [OrdersService] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class OrdersModule {}
