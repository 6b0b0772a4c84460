import { describe, expect, it } from "vitest";

import { config } from "../src/dialects/postgresql.js";

function connection(url: string) {
  return config(url).connection as { connectionString: string; ssl: unknown };
}

describe("the PostgreSQL DATABASE_URL", () => {
  it("connects without TLS unless sslmode asks", () => {
    expect(connection("postgresql://u:p@localhost:5432/shop")).toEqual({
      connectionString: "postgresql://u:p@localhost:5432/shop",
      ssl: false,
    });
  });

  it("reads sslmode as libpq does", () => {
    expect(connection("postgresql://u:p@db:5432/shop?sslmode=require").ssl).toEqual({ rejectUnauthorized: false });
    expect(connection("postgresql://u:p@db:5432/shop?sslmode=verify-full").ssl).toEqual({ rejectUnauthorized: true });
    expect(connection("postgresql://u:p@db:5432/shop?sslmode=disable").ssl).toBe(false);
    expect(connection("postgresql://u:p@db:5432/shop?sslmode=require").connectionString).toBe(
      "postgresql://u:p@db:5432/shop",
    );
  });
});
