/**
 * HTTP caching for a CDN in front of the API: which answers a cache may keep, for how
 * long, and their strong ETags. No web framework here: `cdn.ts` applies it to answers.
 */
import { createHash } from "node:crypto";

import { z } from "zod";

import { settings, type ExtensionContext } from "./extensions.js";

const cdnSettings = z.object({
  // Short: a CDN may serve a changed order for this long without asking the app.
  CDN_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(30),
});

const ORDER_PATH = /^\/orders\/[^/]+$/;
const LIST_PATH = "/orders";
/** A write's answer describes one moment: no cache may keep it. */
export const NO_STORE = "no-store";

/** Same body, same ETag, on every instance of the app (no state, no clock). */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches anything. */
export function matches(ifNoneMatch: string, etag: string): boolean {
  const candidates = ifNoneMatch.split(",").map((tag) => tag.trim());
  return candidates.includes("*") || candidates.some((tag) => tag.replace(/^W\//, "") === etag);
}

export interface HttpCaching {
  /** The Cache-Control of a 200 answer to `GET path`, or undefined to leave it alone. */
  cacheControlFor(path: string): string | undefined;
}

export function httpCaching(context: ExtensionContext): HttpCaching {
  const { CDN_MAX_AGE_SECONDS } = settings(context, cdnSettings);
  const order = `public, max-age=${CDN_MAX_AGE_SECONDS}`;
  return {
    cacheControlFor(path) {
      // Any new order changes the list: a cache may keep it but must revalidate each time.
      if (path === LIST_PATH) return "no-cache";
      if (ORDER_PATH.test(path) && path !== "/orders/search") return order;
      return undefined;
    },
  };
}
