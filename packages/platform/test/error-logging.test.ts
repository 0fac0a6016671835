import { create } from "@bufbuild/protobuf";
import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { Health, HealthCheckResponseSchema } from "@triphub/contracts";
import { describe, expect, it } from "vitest";
import { DomainError, errorInterceptor, loggableError } from "../src/index.js";
import { captureLogs } from "./fixtures.js";

describe("error logging", () => {
  it("keeps a database error's shape but not the values it carries", () => {
    const pgError = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      constraint_name: "users_email_normalized_key",
      detail: "Key (email_normalized)=(ana@example.com) already exists.",
    });
    const queryError = Object.assign(
      new Error('Failed query: insert into "users" ("email") values ($1)\nparams: ana@example.com,scrypt$hash'),
      { query: 'insert into "users" ("email") values ($1)', params: ["ana@example.com"], cause: pgError },
    );
    const logged = JSON.stringify(loggableError(queryError));
    expect(logged).not.toContain("ana@example.com");
    expect(logged).not.toContain("scrypt$hash");
    expect(logged).toContain("23505");
    expect(logged).toContain("users_email_normalized_key");
  });

  it("leaves other errors as they are", () => {
    const plain = new Error("boom");
    expect(loggableError(plain)).toBe(plain);
  });

  it("maps an error raised in the middle of a response stream", async () => {
    const { log } = captureLogs();
    const transport = createRouterTransport(
      (router) =>
        router.service(Health, {
          async *watch() {
            yield create(HealthCheckResponseSchema, { status: 1 });
            throw new DomainError("unavailable", "database went away");
          },
        }),
      { router: { interceptors: [errorInterceptor(log)] } },
    );
    const seen: number[] = [];
    const reading = (async () => {
      for await (const r of createClient(Health, transport).watch({})) seen.push(r.status);
    })();
    await expect(reading).rejects.toMatchObject({ code: Code.Unavailable, rawMessage: "database went away" });
    expect(seen).toEqual([1]);
  });
});
