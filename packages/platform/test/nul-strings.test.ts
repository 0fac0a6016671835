import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { StructSchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { StreamEventsRequestSchema } from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { EventSchema } from "@triphub/contracts/triphub/common/v1/event_pb";
import { describe, expect, it } from "vitest";
import { containsNul, nulStringFields } from "../src/nul-strings.js";
import { startTestHost } from "./fixtures.js";

const fieldsOf = (e: unknown) => (e as ConnectError).findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field));

describe("strings with U+0000", () => {
  it("refuses a NUL in a request string as INVALID_ARGUMENT naming the field, before the handler runs", async () => {
    let calls = 0;
    const { host, url } = await startTestHost({
      signUp: () => {
        calls++;
        return {};
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const err = await client.signUp({ email: "ana@example.com", password: "long enough pw", displayName: "A\u0000na" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toBe("display_name: must not contain the NUL character (U+0000)");
    expect(fieldsOf(err)).toEqual(["display_name"]);
    expect(calls).toBe(0);
    await host.close();
  });

  it("names every field of a nested message that holds one, for Connect JSON callers too", async () => {
    const { host, url } = await startTestHost({ updateMe: () => ({}) });
    const client = createClient(AuthService, createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
    const err = await client.updateMe({ user: { displayName: "Ana\u0000", locale: "ko\u0000KR" } }).catch((e: unknown) => e);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toBe("user.display_name: must not contain the NUL character (U+0000), and 1 more violation");
    expect(fieldsOf(err)).toEqual(["user.display_name", "user.locale"]);
    await host.close();
  });

  it("lets strings without NUL through", async () => {
    const { host, url } = await startTestHost({ updateMe: () => ({}) });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await expect(client.updateMe({ user: { displayName: "Ana \u00a0 \u0001 한", locale: "ko-KR" } })).resolves.toBeDefined();
    await host.close();
  });

  it("finds NUL in repeated strings, map keys and values, oneofs and recursive messages, and nowhere else", () => {
    const types = create(StreamEventsRequestSchema, { types: ["a.B", "a.\u0000C"] });
    expect(nulStringFields(StreamEventsRequestSchema, types).violations.map((v) => v.field)).toEqual(["types[1]"]);

    const event = create(EventSchema, { eventId: "e", metadata: { ok: "fine", "k\u0000": "v", v: "x\u0000" } });
    expect(nulStringFields(EventSchema, event).violations.map((v) => v.field)).toEqual(["metadata[k\\u0000]", "metadata[v]"]);

    const json: JsonValue = { a: [1, { b: "deep\u0000" }], c: { d: null, e: "fine" }, "\u0000": true };
    const struct = fromJson(StructSchema, json);
    expect(containsNul(StructSchema, struct)).toBe(true);
    expect(nulStringFields(StructSchema, struct).violations.map((v) => v.field)).toEqual(["fields[a].list_value.values[1].struct_value.fields[b].string_value", "fields[\\u0000]"]);

    expect(containsNul(EventSchema, create(EventSchema, { eventId: "e", metadata: { a: "b" }, occurTime: create(TimestampSchema) }))).toBe(false);
    expect(containsNul(TimestampSchema, create(TimestampSchema, { seconds: 1n }))).toBe(false);
  });

  it("counts them all and names the first 20", () => {
    const many = create(StreamEventsRequestSchema, { types: Array.from({ length: 500 }, (_, i) => `t${i}\u0000`) });
    const found = nulStringFields(StreamEventsRequestSchema, many);
    expect(found.count).toBe(500);
    expect(found.violations).toHaveLength(20);
  });
});
