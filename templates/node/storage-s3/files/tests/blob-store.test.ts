/** The S3 backend's own settings and failure modes (the routes are in receipts.test.ts). */
import { describe, expect, it } from "vitest";

import { openBlobStore, S3Store, s3SettingsSchema } from "../src/blob-store.js";
import { parseSettings } from "../src/config.js";

const ORDER_ID = "00000000-0000-4000-8000-000000000000";
const KEYS = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

describe("S3 settings", () => {
  it("leave the receipts on disk without S3_BUCKET", () => {
    expect(openBlobStore({})).toBeUndefined();
  });

  it("want a bucket with an endpoint", () => {
    expect(() => openBlobStore({ S3_ENDPOINT: "http://localhost:9000" })).toThrow("S3_BUCKET");
  });

  it("want both keys or neither", () => {
    expect(() => openBlobStore({ S3_BUCKET: "receipts", AWS_ACCESS_KEY_ID: "only-one" })).toThrow(
      "AWS_SECRET_ACCESS_KEY",
    );
  });

  it("read S3_CREATE_BUCKET as a switch", () => {
    expect(parseSettings(s3SettingsSchema, { S3_CREATE_BUCKET: "True" }).S3_CREATE_BUCKET).toBe(true);
    expect(parseSettings(s3SettingsSchema, {}).S3_CREATE_BUCKET).toBe(false);
    expect(() => parseSettings(s3SettingsSchema, { S3_CREATE_BUCKET: "maybe" })).toThrow("S3_CREATE_BUCKET");
  });
});

describe("S3Store", () => {
  it("is not ready while the bucket cannot be reached", async () => {
    const settings = parseSettings(s3SettingsSchema, {
      S3_BUCKET: "receipts",
      S3_ENDPOINT: "http://127.0.0.1:1", // nothing listens there
      ...KEYS,
    });
    const store = new S3Store("receipts", settings);
    await expect(store.ping()).rejects.toThrow();
    await store.close();
  });

  it("signs read links for where clients connect, offline", async () => {
    const settings = parseSettings(s3SettingsSchema, {
      S3_BUCKET: "receipts",
      S3_ENDPOINT: "http://minio:9000",
      S3_PUBLIC_ENDPOINT: "http://localhost:9000",
      ...KEYS,
    });
    const store = new S3Store("receipts", settings);

    const link = new URL(await store.signedUrl(ORDER_ID, 60));

    expect(link.origin).toBe("http://localhost:9000");
    expect(link.pathname).toBe(`/receipts/receipts/${ORDER_ID}`); // path style: bucket, then key
    expect(link.searchParams.get("X-Amz-Expires")).toBe("60");
    expect(link.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    await store.close();
  });
});
