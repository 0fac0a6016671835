import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { jsonValues } from "../../src/transcoder/json-stream.js";

// The body of a client or bidi stream: JSON values one after another, as grpc-gateway's
// json.Decoder reads them, however the bytes are cut into chunks.

const encoder = new TextEncoder();

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(text: string, size = 1 << 16, maxBytes = 1 << 20): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of jsonValues(chunked(text, size), maxBytes)) out.push(v);
  return out;
}

describe("jsonValues", () => {
  it.each([
    { what: "nothing", body: "", values: [] },
    { what: "only whitespace", body: " \n\t\r\n", values: [] },
    { what: "one object without a newline", body: '{"a":1}', values: [{ a: 1 }] },
    { what: "newline-delimited objects", body: '{"a":1}\n{"a":2}\n', values: [{ a: 1 }, { a: 2 }] },
    { what: "CRLF and blank lines", body: '\r\n{"a":1}\r\n\r\n{"a":2}\r\n', values: [{ a: 1 }, { a: 2 }] },
    { what: "values with nothing between them", body: '{"a":1}{"a":2}[3]"x"', values: [{ a: 1 }, { a: 2 }, [3], "x"] },
    { what: "values separated by spaces", body: '{"a":1} {"a":2}', values: [{ a: 1 }, { a: 2 }] },
    { what: "an object spread over lines", body: '{\n  "a": {"b": [1, 2]}\n}\n{"c":3}', values: [{ a: { b: [1, 2] } }, { c: 3 }] },
    { what: "braces and quotes inside strings", body: '{"s":"}{\\"]["}\n{"t":"\\\\"}', values: [{ s: '}{"][' }, { t: "\\" }] },
    { what: "bare literals", body: '1 -2.5e3 true false null "s" 7', values: [1, -2500, true, false, null, "s", 7] },
    { what: "a literal ended by the next value", body: '1{"a":1}2[3]', values: [1, { a: 1 }, 2, [3]] },
    { what: "multi-byte UTF-8", body: '{"name":"Zoë 🏨"}\n{"name":"東京"}', values: [{ name: "Zoë 🏨" }, { name: "東京" }] },
  ])("reads $what, whole or byte by byte", async (c) => {
    expect(await collect(c.body)).toEqual(c.values);
    expect(await collect(c.body, 1)).toEqual(c.values);
    expect(await collect(c.body, 3)).toEqual(c.values);
  });

  it.each([
    { what: "a broken value", body: '{"a":1}\n{"a":}\n{"a":3}', values: 1, message: "request message 2: not valid JSON" },
    { what: "a comma between values", body: '{"a":1},{"a":2}', values: 1, message: 'request message 2: unexpected "," between messages' },
    { what: "a closing bracket first", body: "]", values: 0, message: 'request message 1: unexpected "]" between messages' },
    { what: "a body that ends inside a value", body: '{"a":1}\n{"a":', values: 1, message: "request message 2: the body ended inside it" },
    { what: "a bad literal", body: "tru", values: 0, message: "request message 1: not valid JSON" },
    { what: "invalid UTF-8", body: new Uint8Array([0x22, 0xff, 0x22]), values: 0, message: "request message 1: not valid JSON" },
  ])("fails at $what with INVALID_ARGUMENT, after the values before it", async (c) => {
    const got: unknown[] = [];
    const bytes = typeof c.body === "string" ? encoder.encode(c.body) : c.body;
    const run = async () => {
      for await (const v of jsonValues((async function* () { yield bytes; })(), 1 << 20)) got.push(v);
    };
    const err = await run().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toBe(c.message);
    expect(got).toHaveLength(c.values);
  });

  it("fails at the first value longer than the limit, however it is chunked", async () => {
    const body = `{"a":"${"x".repeat(10)}"}\n{"a":"${"x".repeat(100)}"}\n`;
    for (const size of [1, 7, 1 << 16]) {
      const got: unknown[] = [];
      const err = await (async () => {
        for await (const v of jsonValues(chunked(body, size), 50)) got.push(v);
      })().then(() => undefined, (e: unknown) => e);
      expect((err as ConnectError).rawMessage).toBe("request message 2: larger than 50 bytes");
      expect(got).toHaveLength(1);
    }
  });

  it("yields a value as soon as it is complete, before the body ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    async function* body() {
      yield encoder.encode('{"a":1}\n{"a"');
      await gate;
      yield encoder.encode(":2}");
    }
    const it = jsonValues(body(), 1 << 20);
    expect((await it.next()).value).toEqual({ a: 1 });
    release();
    expect((await it.next()).value).toEqual({ a: 2 });
    expect((await it.next()).done).toBe(true);
  });
});
