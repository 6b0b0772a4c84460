/**
 * Receipts in an Azure Blob Storage container: on Azure, or on Azurite, its emulator.
 *
 * `openBlobStore()` returns the container when AZURE_STORAGE_CONTAINER is set, and
 * undefined otherwise, which leaves the receipts on local disk (`receipt-store.ts`).
 *
 * Two ways in, as the environment says:
 * - AZURE_STORAGE_CONNECTION_STRING: the account key (Azurite, or an account that allows
 *   shared keys); signed links are service SAS, signed with that key.
 * - AZURE_STORAGE_ACCOUNT_URL: Microsoft Entra ID through `DefaultAzureCredential` (on
 *   Azure, the app's managed identity; AZURE_CLIENT_ID names a user-assigned one). Signed
 *   links are user delegation SAS, signed with a key the service hands that identity.
 */
import { DefaultAzureCredential } from "@azure/identity";
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  RestError,
  StorageSharedKeyCredential,
  type BlockBlobClient,
  type ContainerClient,
  type StoragePipelineOptions,
  type UserDelegationKey,
} from "@azure/storage-blob";
import { z } from "zod";

import { flag, parseSettings, type Environment } from "./config.js";
import { canonicalId, DEFAULT_CONTENT_TYPE, type Receipt, type ReceiptStore } from "./receipt-store.js";

const BLOB_PREFIX = "receipts/";
const MINUTE_MS = 60_000;
// Storage signs delegation keys for at most seven days; a fresh one is asked for before.
const DELEGATION_KEY_LIFETIME_MS = 7 * 24 * 60 * MINUTE_MS - 5 * MINUTE_MS;
// A link is valid from a little before now, for clocks that run slightly behind.
const CLOCK_SKEW_MS = 5 * MINUTE_MS;
// A slow account should fail a request (and /ready) quickly, not hang it.
const CLIENT_OPTIONS: StoragePipelineOptions = { retryOptions: { maxTries: 3, tryTimeoutInMs: 10_000 } };

export const azureBlobSettingsSchema = z
  .object({
    AZURE_STORAGE_CONTAINER: z.string().optional(),
    AZURE_STORAGE_CONNECTION_STRING: z.string().optional(),
    AZURE_STORAGE_ACCOUNT_URL: z.url().optional(),
    // Where clients reach the account when it is not where the app does (Docker Compose).
    AZURE_STORAGE_PUBLIC_URL: z.url().optional(),
    // For throwaway local servers only; production containers belong to infrastructure code.
    AZURE_STORAGE_CREATE_CONTAINER: flag,
  })
  .superRefine((s, issues) => {
    const ways = [s.AZURE_STORAGE_CONNECTION_STRING, s.AZURE_STORAGE_ACCOUNT_URL].filter((way) => way !== undefined);
    if (s.AZURE_STORAGE_CONTAINER !== undefined && ways.length !== 1) {
      issues.addIssue({
        code: "custom",
        path: ["AZURE_STORAGE_CONTAINER"],
        message: "needs exactly one of AZURE_STORAGE_CONNECTION_STRING and AZURE_STORAGE_ACCOUNT_URL",
      });
    }
    if (s.AZURE_STORAGE_CONTAINER === undefined && ways.length > 0) {
      issues.addIssue({
        code: "custom",
        path: ["AZURE_STORAGE_CONTAINER"],
        message: "the Azure Storage account is set but AZURE_STORAGE_CONTAINER is not",
      });
    }
  });
export type AzureBlobSettings = z.output<typeof azureBlobSettingsSchema>;

/** The container AZURE_STORAGE_CONTAINER names, or undefined when it is unset. */
export function openBlobStore(environment: Environment): AzureBlobStore | undefined {
  const settings = parseSettings(azureBlobSettingsSchema, environment);
  const container = settings.AZURE_STORAGE_CONTAINER;
  return container ? new AzureBlobStore(container, settings) : undefined;
}

function blobName(orderId: string): string {
  return `${BLOB_PREFIX}${canonicalId(orderId)}`;
}

function status(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (stream !== undefined) {
    for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/** A private container, shared by every instance of the app. */
export class AzureBlobStore implements ReceiptStore {
  readonly canSign = true;
  readonly createMissing: boolean;
  readonly #service: BlobServiceClient;
  readonly #container: ContainerClient;
  readonly #publicUrl: string;
  #delegationKey: Promise<UserDelegationKey> | undefined;

  constructor(container: string, settings: AzureBlobSettings) {
    this.createMissing = settings.AZURE_STORAGE_CREATE_CONTAINER;
    this.#service = settings.AZURE_STORAGE_CONNECTION_STRING
      ? BlobServiceClient.fromConnectionString(settings.AZURE_STORAGE_CONNECTION_STRING, CLIENT_OPTIONS)
      : new BlobServiceClient(String(settings.AZURE_STORAGE_ACCOUNT_URL), new DefaultAzureCredential(), CLIENT_OPTIONS);
    this.#container = this.#service.getContainerClient(container);
    this.#publicUrl = (settings.AZURE_STORAGE_PUBLIC_URL ?? this.#service.url).replace(/\/+$/, "");
  }

  #blob(orderId: string): BlockBlobClient {
    return this.#container.getBlockBlobClient(blobName(orderId));
  }

  async put(orderId: string, receipt: Receipt): Promise<boolean> {
    const blob = this.#blob(orderId);
    const options = { blobHTTPHeaders: { blobContentType: receipt.contentType } };
    try {
      // If-None-Match: * makes this a conditional write: it fails if the blob exists.
      await blob.upload(receipt.content, receipt.content.length, { ...options, conditions: { ifNoneMatch: "*" } });
      return true;
    } catch (error) {
      if (status(error) !== 409) throw error;
    }
    await blob.upload(receipt.content, receipt.content.length, options);
    return false;
  }

  async get(orderId: string): Promise<Receipt | undefined> {
    try {
      const download = await this.#blob(orderId).download();
      const content = await readAll(download.readableStreamBody);
      return { content, contentType: download.contentType ?? DEFAULT_CONTENT_TYPE };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  exists(orderId: string): Promise<boolean> {
    return this.#blob(orderId).exists();
  }

  async delete(orderId: string): Promise<void> {
    await this.#blob(orderId).deleteIfExists(); // what is not there is deleted
  }

  /** A read-only SAS link to the blob, valid for `expiresSeconds`. */
  async signedUrl(orderId: string, expiresSeconds: number): Promise<string> {
    const now = Date.now();
    const name = blobName(orderId);
    const startsOn = new Date(now - CLOCK_SKEW_MS);
    let expiresOn = new Date(now + expiresSeconds * 1000);
    const common = { containerName: this.#container.containerName, blobName: name, permissions: BlobSASPermissions.parse("r"), startsOn };
    const credential = this.#service.credential;
    let sas: string;
    if (credential instanceof StorageSharedKeyCredential) {
      sas = generateBlobSASQueryParameters({ ...common, expiresOn }, credential).toString();
    } else {
      const key = await this.#userDelegationKey(expiresOn);
      expiresOn = new Date(Math.min(expiresOn.getTime(), key.signedExpiresOn.getTime()));
      sas = generateBlobSASQueryParameters({ ...common, expiresOn }, key, this.#service.accountName).toString();
    }
    const path = name.split("/").map(encodeURIComponent).join("/");
    return `${this.#publicUrl}/${encodeURIComponent(this.#container.containerName)}/${path}?${sas}`;
  }

  /** The identity's signing key, asked for again shortly before it would run out. */
  async #userDelegationKey(neededUntil: Date): Promise<UserDelegationKey> {
    const current = this.#delegationKey;
    if (current !== undefined) {
      try {
        const key = await current;
        if (key.signedExpiresOn.getTime() >= neededUntil.getTime()) return key;
      } catch {
        // asked for a new one below
      }
    }
    const startsOn = new Date();
    const asked = this.#service.getUserDelegationKey(startsOn, new Date(startsOn.getTime() + DELEGATION_KEY_LIFETIME_MS));
    this.#delegationKey = asked; // concurrent links share one request
    return asked;
  }

  /** The container answers; with AZURE_STORAGE_CREATE_CONTAINER a missing one is made. */
  async ping(): Promise<void> {
    try {
      await this.#container.getProperties();
    } catch (error) {
      if (!(this.createMissing && status(error) === 404)) throw error;
      await this.#container.createIfNotExists(); // another instance may have been first
    }
  }

  /** The SDK's clients hold no connections of their own to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
