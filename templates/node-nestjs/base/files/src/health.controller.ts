/** Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers. */
import { All, Controller, Get, Inject, Req, Res } from "@nestjs/common";
import type { Request, Response } from "express";

import { MethodNotAllowedError } from "./errors.js";
import type { ExtensionContext } from "./extensions.js";
import { readiness, type CheckState } from "./readiness.js";
import { EXTENSION_CONTEXT } from "./tokens.js";

@Controller()
export class HealthController {
  constructor(@Inject(EXTENSION_CONTEXT) private readonly context: ExtensionContext) {}

  /** The process is up; touches no dependency, so a database outage never restarts it. */
  @Get("health")
  health(): { status: "ok" } {
    return { status: "ok" };
  }

  @All("health")
  otherOnHealth(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET");
  }

  /** Every dependency answers; 503 names the ones that do not. */
  @Get("ready")
  async ready(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ status: string; checks: Record<string, CheckState> }> {
    const { ok, states, failures } = await readiness(this.context.readyChecks);
    for (const [check, reason] of Object.entries(failures)) {
      request.log.warn({ check, err: reason }, "readiness check failed");
    }
    response.status(ok ? 200 : 503);
    return { status: ok ? "ok" : "unavailable", checks: states };
  }

  @All("ready")
  otherOnReady(@Req() request: Request): never {
    throw new MethodNotAllowedError(request.method, "GET");
  }
}
