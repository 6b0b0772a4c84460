import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";

import { createApp } from "../src/app.js";
import { useApp } from "./helpers.js";

const harness = useApp();

describe("the request log", () => {
  it("has one line per request: its method, path, status and duration, no headers", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = await createApp({ store: harness.store, logger });
    try {
      await request(app.getHttpServer()).get("/health?probe=1").set("Authorization", "Bearer secret");
    } finally {
      await app.close();
    }
    const logged = lines.filter((line) => line.req !== undefined);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: "request completed",
      req: { method: "GET", url: "/health?probe=1" },
      res: { statusCode: 200 },
    });
    expect(typeof logged[0]?.responseTime).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("secret");
  });

  it("carries Nest's own lines as JSON too, each with the class that wrote it", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = await createApp({ store: harness.store, logger });
    await app.close();
    expect(lines).toContainEqual(expect.objectContaining({ context: "RoutesResolver", level: 30 }));
  });
});
