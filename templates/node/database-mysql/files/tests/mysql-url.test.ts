import { describe, expect, it } from "vitest";

import { config } from "../src/dialects/mysql.js";

function connection(url: string) {
  return config(url).connection as Record<string, unknown>;
}

describe("the MySQL DATABASE_URL", () => {
  it("becomes mysql2's options, in UTC", () => {
    expect(connection("mysql://shop:p%40ss@127.0.0.1:3307/shop_test")).toMatchObject({
      host: "127.0.0.1",
      port: 3307,
      user: "shop",
      password: "p@ss",
      database: "shop_test",
      ssl: undefined,
      timezone: "Z",
    });
    expect(connection("mariadb://shop:p@db/shop").port).toBe(3306);
  });

  it("turns TLS on for any ssl_ option", () => {
    expect(connection("mysql://u:p@db:3306/shop?ssl_check_hostname=false").ssl).toEqual({
      rejectUnauthorized: false,
    });
  });
});
