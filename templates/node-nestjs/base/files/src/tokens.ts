/**
 * The injection tokens. Each provider is asked for by its token (`@Inject(ORDER_STORE)`),
 * not by its constructor type: that would need decorator metadata, which tsx and Vitest
 * do not emit.
 */
export const EXTENSION_CONTEXT = Symbol("ExtensionContext");
export const ORDER_STORE = Symbol("OrderStore");
export const ORDER_EVENTS = Symbol("OrderEvents");
export const CLOSERS = Symbol("Closers");
export const OPENAPI_DOCUMENT = Symbol("OpenApiDocument");
