/** Readiness checks: each dependency the app needs, asked whether it answers. */

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

export interface Readiness {
  ok: boolean;
  states: Record<string, CheckState>;
  /** Why each failing check failed, to log. */
  failures: Record<string, unknown>;
}

/** Run every check at once, each within CHECK_TIMEOUT_MS. */
export async function readiness(checks: Readonly<Record<string, ReadyCheck>>): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((name) => run(checks[name] ?? (() => Promise.resolve()))));
  const states: Record<string, CheckState> = {};
  const failures: Record<string, unknown> = {};
  results.forEach((result, index) => {
    const name = names[index] ?? "";
    states[name] = result.status === "fulfilled" ? "ok" : "unavailable";
    if (result.status === "rejected") failures[name] = result.reason;
  });
  return { ok: Object.values(states).every((state) => state === "ok"), states, failures };
}
