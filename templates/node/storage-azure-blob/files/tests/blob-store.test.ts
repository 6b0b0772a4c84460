/** The Azure Blob backend's own settings and failure modes (the routes are in receipts.test.ts). */
import { describe, expect, it } from "vitest";

import { AzureBlobStore, azureBlobSettingsSchema, openBlobStore } from "../src/blob-store.js";
import { parseSettings } from "../src/config.js";

// A well-formed account key for an account nothing serves: signing needs no server.
const KEY = "a2V5LWZvci10ZXN0cy1vbmx5LW5vdC1hLXNlY3JldA==";
const ORDER_ID = "00000000-0000-4000-8000-000000000000";

function connectionString(endpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=tests;AccountKey=${KEY};BlobEndpoint=${endpoint};`;
}

describe("Azure Blob settings", () => {
  it("leave the receipts on disk without AZURE_STORAGE_CONTAINER", () => {
    expect(openBlobStore({})).toBeUndefined();
  });

  it("want exactly one way into the account for a container", () => {
    expect(() => openBlobStore({ AZURE_STORAGE_CONTAINER: "receipts" })).toThrow("exactly one");
    expect(() =>
      openBlobStore({
        AZURE_STORAGE_CONTAINER: "receipts",
        AZURE_STORAGE_CONNECTION_STRING: connectionString("http://x/tests"),
        AZURE_STORAGE_ACCOUNT_URL: "https://tests.blob.core.windows.net",
      }),
    ).toThrow("exactly one");
  });

  it("want a container for an account", () => {
    expect(() => openBlobStore({ AZURE_STORAGE_ACCOUNT_URL: "https://tests.blob.core.windows.net" })).toThrow(
      "AZURE_STORAGE_CONTAINER",
    );
  });
});

describe("AzureBlobStore", () => {
  it("is not ready while the account cannot be reached", async () => {
    const settings = parseSettings(azureBlobSettingsSchema, {
      AZURE_STORAGE_CONTAINER: "receipts",
      AZURE_STORAGE_CONNECTION_STRING: connectionString("http://127.0.0.1:1/tests"), // nothing listens there
    });
    await expect(new AzureBlobStore("receipts", settings).ping()).rejects.toThrow();
  });

  it("signs read-only links to one blob, for where clients connect", async () => {
    const settings = parseSettings(azureBlobSettingsSchema, {
      AZURE_STORAGE_CONTAINER: "receipts",
      AZURE_STORAGE_CONNECTION_STRING: connectionString("http://azurite:10000/tests"),
      AZURE_STORAGE_PUBLIC_URL: "http://localhost:10000/tests",
    });
    const store = new AzureBlobStore("receipts", settings);

    const link = new URL(await store.signedUrl(ORDER_ID, 60));

    expect(link.origin).toBe("http://localhost:10000");
    expect(link.pathname).toBe(`/tests/receipts/receipts/${ORDER_ID}`);
    expect(link.searchParams.get("sp")).toBe("r"); // read only
    expect(link.searchParams.get("sr")).toBe("b"); // this one blob
    expect(link.searchParams.get("sig")).toBeTruthy();
    await store.close();
  });
});
