/**
 * The receipts' settings, and the store they name: the blob store once its settings name
 * one (`blob-store.ts`), otherwise one file per order under RECEIPTS_DIR.
 */
import { z } from "zod";

import { openBlobStore } from "./blob-store.js";
import { environmentOf, parseSettings, type Environment } from "./config.js";
import { DirectoryStore, type ReceiptStore } from "./receipt-store.js";

const MIB = 1024 * 1024;
// Seven days is the longest any of the supported blob stores signs for.
export const MAX_URL_EXPIRES_SECONDS = 7 * 24 * 3600;

export const receiptSettingsSchema = z.object({
  // The zero-service default: relative to the working directory, like the SQLite file.
  RECEIPTS_DIR: z.string().default("data/receipts"),
  RECEIPT_MAX_BYTES: z.coerce.number().int().positive().default(5 * MIB),
  RECEIPT_URL_EXPIRES_SECONDS: z.coerce.number().int().min(1).max(MAX_URL_EXPIRES_SECONDS).default(300),
});

export interface ReceiptSettings {
  receiptsDir: string;
  maxBytes: number;
  urlExpiresSeconds: number;
}

/** The receipts' settings from `environment` (empty variables count as unset). */
export function receiptSettings(environment: Environment): ReceiptSettings {
  const parsed = parseSettings(receiptSettingsSchema, environmentOf(environment));
  return {
    receiptsDir: parsed.RECEIPTS_DIR,
    maxBytes: parsed.RECEIPT_MAX_BYTES,
    urlExpiresSeconds: parsed.RECEIPT_URL_EXPIRES_SECONDS,
  };
}

/** The blob store when `environment` names one, else the directory of `settings`. */
export function openReceiptStore(environment: Environment, settings = receiptSettings(environment)): ReceiptStore {
  return openBlobStore(environmentOf(environment)) ?? new DirectoryStore(settings.receiptsDir);
}
