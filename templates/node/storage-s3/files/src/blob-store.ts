/**
 * Receipts in an S3 bucket: on AWS, or on any S3-API server named by S3_ENDPOINT.
 *
 * `openBlobStore()` returns the bucket when S3_BUCKET is set, and undefined otherwise,
 * which leaves the receipts on local disk (`receipt-store.ts`'s DirectoryStore).
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { z } from "zod";

import { flag, parseSettings, type Environment } from "./config.js";
import { canonicalId, DEFAULT_CONTENT_TYPE, type Receipt, type ReceiptStore } from "./receipt-store.js";

const KEY_PREFIX = "receipts/";
// Names S3 (and S3-API servers) give "no such object"; HEAD replies carry only the status.
const MISSING = new Set(["NotFound", "NoSuchKey", "NoSuchBucket"]);

export const s3SettingsSchema = z
  .object({
    S3_BUCKET: z.string().optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_PUBLIC_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().default("us-east-1"),
    // Unset: the AWS SDK's own chain (task or instance role, ~/.aws) finds the credentials.
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),
    // For throwaway local servers only; production buckets belong to infrastructure code.
    S3_CREATE_BUCKET: flag,
  })
  .refine((s) => !(s.S3_ENDPOINT && !s.S3_BUCKET), {
    message: "S3_ENDPOINT is set but S3_BUCKET is not: name the receipts bucket",
    path: ["S3_BUCKET"],
  })
  .refine((s) => (s.AWS_ACCESS_KEY_ID === undefined) === (s.AWS_SECRET_ACCESS_KEY === undefined), {
    message: "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither",
    path: ["AWS_SECRET_ACCESS_KEY"],
  });
export type S3Settings = z.output<typeof s3SettingsSchema>;

/** The bucket S3_BUCKET names, or undefined when it is unset. */
export function openBlobStore(environment: Environment): S3Store | undefined {
  const settings = parseSettings(s3SettingsSchema, environment);
  return settings.S3_BUCKET ? new S3Store(settings.S3_BUCKET, settings) : undefined;
}

function client(settings: S3Settings, endpoint: string | undefined): S3Client {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = settings;
  return new S3Client({
    region: settings.S3_REGION,
    endpoint,
    // Servers behind an endpoint URL rarely resolve bucket subdomains.
    forcePathStyle: endpoint !== undefined,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    // S3-API servers (MinIO, Cloud Storage, moto) do not all take the newer default checksums.
    ...(endpoint === undefined
      ? {}
      : { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    // A slow bucket should fail a request (and /ready) quickly, not hang it.
    requestHandler: { connectionTimeout: 2000, requestTimeout: 10_000 },
    maxAttempts: 3,
  });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

function isMissing(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return MISSING.has(errorName(error)) || status === 404;
}

function key(orderId: string): string {
  return `${KEY_PREFIX}${canonicalId(orderId)}`;
}

/** A bucket on AWS S3 or on any S3-API server; shared by every instance of the app. */
export class S3Store implements ReceiptStore {
  readonly canSign = true;
  readonly createMissing: boolean;
  readonly #region: string;
  readonly #client: S3Client;
  readonly #signer: S3Client;

  constructor(
    readonly bucket: string,
    settings: S3Settings,
  ) {
    this.createMissing = settings.S3_CREATE_BUCKET;
    this.#region = settings.S3_REGION;
    this.#client = client(settings, settings.S3_ENDPOINT);
    // Signing is offline, but the URL must name the host the client will connect to.
    const publicEndpoint = settings.S3_PUBLIC_ENDPOINT;
    this.#signer = publicEndpoint ? client(settings, publicEndpoint) : this.#client;
  }

  async put(orderId: string, receipt: Receipt): Promise<boolean> {
    const created = !(await this.exists(orderId));
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key(orderId),
        Body: receipt.content,
        ContentType: receipt.contentType,
      }),
    );
    return created;
  }

  async get(orderId: string): Promise<Receipt | undefined> {
    try {
      const stored = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key(orderId) }));
      const content = Buffer.from((await stored.Body?.transformToByteArray()) ?? []);
      return { content, contentType: stored.ContentType ?? DEFAULT_CONTENT_TYPE };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async exists(orderId: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key(orderId) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(orderId: string): Promise<void> {
    // S3 answers 204 whether or not the object was there.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key(orderId) }));
  }

  signedUrl(orderId: string, expiresSeconds: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key(orderId) });
    return getSignedUrl(this.#signer, command, { expiresIn: expiresSeconds });
  }

  /** The bucket answers; with S3_CREATE_BUCKET a missing one is created instead. */
  async ping(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!(this.createMissing && isMissing(error))) throw error;
      await this.#createBucket();
    }
  }

  async #createBucket(): Promise<void> {
    // us-east-1 is the one region S3 refuses to be told explicitly.
    const location =
      this.#region === "us-east-1"
        ? undefined
        : { LocationConstraint: this.#region as BucketLocationConstraint };
    try {
      await this.#client.send(new CreateBucketCommand({ Bucket: this.bucket, CreateBucketConfiguration: location }));
    } catch (error) {
      if (errorName(error) !== "BucketAlreadyOwnedByYou") throw error; // another instance was first
    }
  }

  close(): Promise<void> {
    this.#client.destroy();
    if (this.#signer !== this.#client) this.#signer.destroy();
    return Promise.resolve();
  }
}
