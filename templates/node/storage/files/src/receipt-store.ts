/**
 * Where receipts live: the interface every backend implements, and the local-disk one.
 *
 * `blob-store.ts` holds the remote backend of the blob store this project was generated
 * with; this directory store is the zero-service default, for one machine or a shared volume.
 */
import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/** What HTTP says an unlabelled body is. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Receipt {
  content: Buffer;
  contentType: string;
}

/** Receipts keyed by order id (always a canonical UUID string). */
export interface ReceiptStore {
  /** Whether `signedUrl()` works: only a blob store can sign. */
  readonly canSign: boolean;
  /** `ping()` creates a missing bucket or container (local throwaway servers only). */
  readonly createMissing: boolean;
  /** Store or replace the receipt; true when the order had none before. */
  put(orderId: string, receipt: Receipt): Promise<boolean>;
  get(orderId: string): Promise<Receipt | undefined>;
  exists(orderId: string): Promise<boolean>;
  /** Deleting what is not there is fine. */
  delete(orderId: string): Promise<void>;
  signedUrl(orderId: string, expiresSeconds: number): Promise<string>;
  /** Reject unless the store answers (and, with `createMissing`, create it first). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The order id in its canonical form; throws for anything else, so no key escapes its prefix. */
export function canonicalId(orderId: string): string {
  if (!UUID.test(orderId)) throw new Error(`not an order id: ${JSON.stringify(orderId)}`);
  return orderId.toLowerCase();
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

/**
 * One file per order under a directory.
 *
 * Each file holds the content type on its first line, then the bytes, so that a write
 * (a temporary file renamed over the old one) replaces both at once.
 */
export class DirectoryStore implements ReceiptStore {
  readonly canSign = false;
  readonly createMissing = false; // the directory is made on first use
  readonly #ready: Promise<unknown>;

  constructor(readonly root: string) {
    this.#ready = mkdir(root, { recursive: true });
    this.#ready.catch(() => undefined); // reported by the first put() or ping() that awaits it
  }

  #path(orderId: string): string {
    return join(this.root, canonicalId(orderId));
  }

  async put(orderId: string, receipt: Receipt): Promise<boolean> {
    await this.#ready;
    const path = this.#path(orderId);
    const created = !(await this.exists(orderId));
    const upload = join(this.root, `.upload-${randomUUID()}`);
    try {
      const file = await open(upload, "wx");
      try {
        await file.writeFile(Buffer.concat([Buffer.from(`${receipt.contentType}\n`, "ascii"), receipt.content]));
      } finally {
        await file.close();
      }
      await rename(upload, path); // atomic: readers see the old file or the new one
    } catch (error) {
      await rm(upload, { force: true });
      throw error;
    }
    return created;
  }

  async get(orderId: string): Promise<Receipt | undefined> {
    let stored: Buffer;
    try {
      stored = await readFile(this.#path(orderId));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const newline = stored.indexOf(0x0a);
    return { contentType: stored.subarray(0, newline).toString("ascii"), content: stored.subarray(newline + 1) };
  }

  async exists(orderId: string): Promise<boolean> {
    try {
      return (await stat(this.#path(orderId))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(orderId: string): Promise<void> {
    await rm(this.#path(orderId), { force: true });
  }

  signedUrl(): Promise<string> {
    return Promise.reject(new Error("files on disk have no signed URLs"));
  }

  async ping(): Promise<void> {
    await this.#ready;
    await access(this.root, constants.W_OK | constants.X_OK);
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
