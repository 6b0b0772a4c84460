import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { describe, expect, it } from "vitest";

describe("the server process", () => {
  it("serves, then on SIGTERM stops cleanly with exit code 0", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "orders-server-"));
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: { ...process.env, PORT: "0", LOG_LEVEL: "info", DATABASE_URL: `sqlite:///${join(scratch, "server.db")}` },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const messages: string[] = [];
      let port: number | undefined;
      while (port === undefined) {
        const line = await lines.next();
        if (line.done === true) throw new Error(`the server exited first: ${messages.join(", ")}`);
        const entry = JSON.parse(line.value) as { msg: string; port?: number };
        messages.push(entry.msg);
        if (entry.msg === "listening") port = entry.port;
      }
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);

      const exited = once(child, "exit");
      child.kill("SIGTERM");
      for (let line = await lines.next(); line.done !== true; line = await lines.next()) {
        messages.push((JSON.parse(line.value) as { msg: string }).msg);
      }
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(messages).toContain("stopped");
    } finally {
      child.kill("SIGKILL");
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 30_000);
});
