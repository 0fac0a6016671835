// Domain rules are plain unit tests: no database, no server, the time passed in.
import { DomainError } from "@triphub/platform/domain-error";
import { describe, expect, it } from "vitest";
import { canRead, newNote } from "../src/domain/note.js";

const now = new Date("2026-03-01T00:00:00Z");

describe("newNote", () => {
  it("trims the title and keeps the body as written", () => {
    expect(newNote({ title: "  Packing list ", body: " socks " }, "u1", now)).toEqual({
      authorId: "u1",
      title: "Packing list",
      body: " socks ",
      createdAt: now,
    });
  });

  it.each(["", "   ", "\t\n"])("refuses the blank title %j", (title) => {
    expect(() => newNote({ title, body: "" }, "u1", now)).toThrow(DomainError);
  });
});

describe("canRead", () => {
  const note = { noteId: "n1", authorId: "u1", title: "t", body: "", createdAt: now };
  it("lets only the author read a note", () => {
    expect(canRead(note, "u1")).toBe(true);
    expect(canRead(note, "u2")).toBe(false);
  });
});
