/** Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers. */
import type { FastifyInstance } from "fastify";

import { allowOnly } from "./errors.js";
import { readiness, type ReadyCheck } from "./readiness.js";

export function healthRoutes(app: FastifyInstance, checks: Readonly<Record<string, ReadyCheck>>): void {
  // The process is up; touches no dependency, so a database outage never restarts it.
  app.get("/health", () => ({ status: "ok" }));
  allowOnly(app, "/health", "GET");

  // Every dependency answers; 503 names the ones that do not.
  app.get("/ready", async (request, reply) => {
    const { ok, states, failures } = await readiness(checks);
    for (const [check, reason] of Object.entries(failures)) {
      request.log.warn({ check, err: reason }, "readiness check failed");
    }
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", checks: states });
  });
  allowOnly(app, "/ready", "GET");
}
