/** Structured logs: one JSON object per line on stdout (pino), ready for any collector. */
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    // ISO timestamps and level names read better than epoch numbers and level codes.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
