// The RPCs the way production calls them: real gRPC, real tokens from auth, real PostgreSQL.
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { ExampleService } from "@triphub/contracts/triphub/example/v1/example_service_pb";
import { rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./rpc-harness.js";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform("example_rpc_notes");
});
afterAll(() => p?.close());

const codeOf = async (call: Promise<unknown>) => (await rejectionOf(call, ConnectError)).code;

describe("notes", () => {
  it("creates a note with a trimmed title and reads it back as its author", async () => {
    const alice = await p.user();
    const { note } = await alice.api.createNote({ title: "  Packing list ", body: "socks" });
    expect(note).toMatchObject({ authorId: alice.userId, title: "Packing list", body: "socks" });
    expect(note?.createTime?.seconds).toBe(BigInt(Math.floor(p.clock.now().getTime() / 1000)));
    const read = await alice.api.getNote({ noteId: note!.noteId });
    expect(read.note).toEqual(note);
  });

  it("hides a note from everyone but its author", async () => {
    const alice = await p.user();
    const bob = await p.user();
    const { note } = await alice.api.createNote({ title: "Private", body: "" });
    expect(await codeOf(bob.api.getNote({ noteId: note!.noteId }))).toBe(Code.NotFound);
    expect(await codeOf(alice.api.getNote({ noteId: randomUUID() }))).toBe(Code.NotFound);
  });

  it("needs a signed-in user", async () => {
    const anonymous = p.service.client(ExampleService);
    expect(await codeOf(anonymous.createNote({ title: "Hi", body: "" }))).toBe(Code.Unauthenticated);
  });

  it("refuses bad input before the handler and blank titles in the domain", async () => {
    const alice = await p.user();
    expect(await codeOf(alice.api.createNote({ title: "", body: "" }))).toBe(Code.InvalidArgument);
    expect(await codeOf(alice.api.getNote({ noteId: "not-a-uuid" }))).toBe(Code.InvalidArgument);
    expect(await codeOf(alice.api.createNote({ title: "   ", body: "" }))).toBe(Code.InvalidArgument);
  });
});
