/** Nest's own log lines (start-up, mapped routes, its errors) as pino JSON lines, like every other. */
import type { LoggerService } from "@nestjs/common";

import type { Logger } from "./logger.js";

/** Nest passes the message first, then its context (the class that logs) last. */
function split(params: unknown[]): { context?: unknown; extra: unknown[] } {
  const context = params.length > 0 ? params[params.length - 1] : undefined;
  return typeof context === "string" ? { context, extra: params.slice(0, -1) } : { extra: params };
}

export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write("info", message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write("error", message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write("warn", message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write("debug", message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write("trace", message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write("fatal", message, params);
  }

  private write(level: "trace" | "debug" | "info" | "warn" | "error" | "fatal", message: unknown, params: unknown[]): void {
    const { context, extra } = split(params);
    // An error's stack comes as the first extra parameter.
    const fields = extra.length > 0 ? { context, details: extra } : { context };
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else {
      this.logger[level](fields, typeof message === "string" ? message : JSON.stringify(message));
    }
  }
}
