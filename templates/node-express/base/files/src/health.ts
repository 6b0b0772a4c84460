/** Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers. */
import { Router } from "express";

import { methodNotAllowed } from "./errors.js";
import { readiness, type ReadyCheck } from "./readiness.js";

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
      const { ok, states, failures } = await readiness(checks);
      for (const [check, reason] of Object.entries(failures)) {
        req.log.warn({ check, err: reason }, "readiness check failed");
      }
      res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", checks: states });
    })
    .all(methodNotAllowed("GET"));

  return router;
}
