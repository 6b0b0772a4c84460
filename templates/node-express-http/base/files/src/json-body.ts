/**
 * JSON request bodies, for the routes that take one (`POST /orders`, `PATCH /orders/:id`).
 *
 * The parser runs on those routes only, not on the whole app, so a route that takes its
 * body as bytes (a receipt sent as `application/json`) still finds it unread. The contract
 * judges a body in this order: its media type (415), then its JSON (400), then its shape,
 * which the route's schema checks (422, a JSON value that is not an object included).
 */
import type { IncomingHttpHeaders } from "node:http";

import express, { type RequestHandler } from "express";

import { ApiError } from "./envelope.js";

/** The largest JSON body taken, as for every stack: past it, a 413. */
const LIMIT = "1mb";

/** `application/json`, whatever its parameters (`; charset=utf-8`) and case. */
function isJson(contentType: string): boolean {
  return (contentType.split(";", 1)[0] ?? "").trim().toLowerCase() === "application/json";
}

/** Whether the request says it has a body: chunked, or a length other than 0. */
function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers["content-length"];
  return headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

const parseJson: RequestHandler = express.json({
  limit: LIMIT,
  // Any JSON value: one that is not an object is the schema's 422, not a 400.
  strict: false,
  // body-parser would take an empty body for `{}`; it is no JSON at all.
  verify: (_req, _res, body) => {
    if (body.length === 0) throw new ApiError(400, "malformed_json", "The request body is empty, which is not valid JSON.");
  },
});

/**
 * Put before a route that reads `req.body`: a 415 for a body labelled anything but JSON
 * (or not labelled at all), else the body parsed into `req.body`.
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  const contentType = req.headers["content-type"];
  if (contentType === undefined ? hasBody(req.headers) : !isJson(contentType)) {
    req.resume(); // the body is not read; drop it so the connection can carry the answer
    next(new ApiError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json."));
    return;
  }
  parseJson(req, res, next);
};
