/**
 * The app's shared pieces as providers, for every module: the order store, the order
 * events, the extension context and the OpenAPI document. It also closes what the
 * extensions opened, once the HTTP server has stopped (`onApplicationShutdown` runs
 * after Nest has closed it).
 */
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from "@nestjs/common";

import { closeAll, type Closer, type ExtensionContext } from "./extensions.js";
import { CLOSERS, EXTENSION_CONTEXT, OPENAPI_DOCUMENT, ORDER_EVENTS, ORDER_STORE } from "./tokens.js";

@Global()
@Module({})
export class ContextModule implements OnApplicationShutdown {
  constructor(
    @Inject(CLOSERS) private readonly closers: Closer[],
    @Inject(EXTENSION_CONTEXT) private readonly context: ExtensionContext,
  ) {}

  static register(context: ExtensionContext, closers: Closer[], document: object): DynamicModule {
    const providers = [
      { provide: EXTENSION_CONTEXT, useValue: context },
      { provide: ORDER_STORE, useValue: context.store },
      { provide: ORDER_EVENTS, useValue: context.events },
      { provide: CLOSERS, useValue: closers },
      { provide: OPENAPI_DOCUMENT, useValue: document },
    ];
    return { module: ContextModule, providers, exports: providers.map((provider) => provider.provide) };
  }

  /** Last in, first out: the extensions' closers, then what the caller gave (such as the store). */
  async onApplicationShutdown(): Promise<void> {
    await closeAll(this.closers);
    this.context.logger.info("stopped");
  }
}
