import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redisUrl } from "../src/database.js";
import { redisCommand } from "../src/redis-command.js";

describe("the run's Redis server", () => {
  it("answers PING", async () => {
    expect(await redisCommand(redisUrl(), ["PING"])).toBe("PONG");
  });

  it("stores and returns a value", async () => {
    const key = `testkit:${randomUUID()}`;
    expect(await redisCommand(redisUrl(), ["SET", key, "héllo wörld", "PX", "60000"])).toBe("OK");
    expect(await redisCommand(redisUrl(), ["GET", key])).toBe("héllo wörld");
    expect(await redisCommand(redisUrl(), ["GET", `${key}:missing`])).toBeNull();
  });

  it("rejects with the server's error for a bad command", async () => {
    await expect(redisCommand(redisUrl(), ["NOSUCHCOMMAND"])).rejects.toThrow(/unknown command/i);
  });
});
