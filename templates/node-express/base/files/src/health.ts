/** Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers. */
import { Router } from "express";

import { methodNotAllowed } from "./errors.js";

/** A readiness check rejects (or takes too long) when its dependency cannot serve. */
export type ReadyCheck = () => Promise<unknown>;
export type CheckState = "ok" | "unavailable";

export const CHECK_TIMEOUT_MS = 2000;

async function run(check: ReadyCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`));
    }, CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(checks: Readonly<Record<string, ReadyCheck>>): Router {
  const router = Router();

  // The process is up; touches no dependency, so a database outage never restarts it.
  router
    .route("/health")
    .get((_req, res) => {
      res.json({ status: "ok" });
    })
    .all(methodNotAllowed("GET"));

  // Every dependency answers; 503 names the ones that do not.
  router
    .route("/ready")
    .get(async (req, res) => {
      const names = Object.keys(checks);
      const results = await Promise.allSettled(names.map((name) => run(checks[name] ?? (() => Promise.resolve()))));
      const states: Record<string, CheckState> = {};
      results.forEach((result, index) => {
        const name = names[index] ?? "";
        states[name] = result.status === "fulfilled" ? "ok" : "unavailable";
        if (result.status === "rejected") {
          req.log.warn({ check: name, err: result.reason as unknown }, "readiness check failed");
        }
      });
      const ok = Object.values(states).every((state) => state === "ok");
      res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", checks: states });
    })
    .all(methodNotAllowed("GET"));

  return router;
}
