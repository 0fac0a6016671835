import type { JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

// The body of a client or bidi stream is a sequence of JSON values, one request message each,
// read as they arrive. That is grpc-gateway's framing: its generated handler for such methods
// calls the marshaler's Decoder on the body in a loop until EOF
// (protoc-gen-grpc-gateway/internal/gengateway/template.go, "client-streaming-request-func"),
// and the default JSON decoder is Go's json.Decoder, which reads values one after another with
// optional whitespace between them. So newline-delimited JSON works, and so do values
// separated by spaces or by nothing (`{"a":1}{"a":2}`); commas or an enclosing array do not
// (Envoy's transcoder wants an array instead; we follow grpc-gateway).
//
// The scanner only finds where each top-level value ends (strings, nesting, bare literals);
// JSON.parse then checks the value itself. It works on bytes: every byte it looks for is
// ASCII, which never occurs inside a multi-byte UTF-8 sequence.

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
// Bytes that end a bare literal (number, true, false, null) at the top level.
const DELIMITERS = new Set([0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x22]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);

const invalid = (n: number, why: string) => new ConnectError(`request message ${n}: ${why}`, Code.InvalidArgument);

/**
 * The JSON values of a streamed body, each as soon as its last byte has arrived. Throws
 * INVALID_ARGUMENT at the first value that is not valid JSON or grows past `maxBytes` (so
 * memory stays bounded however long the stream); the values before it were yielded.
 */
export async function* jsonValues(chunks: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<JsonValue> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Uint8Array[] = [];
  let size = 0;
  let count = 0;
  // Scanner state of the value being read.
  let inValue = false;
  let literal = false;
  let depth = 0;
  let inString = false;
  let escaped = false;

  const finish = (): JsonValue => {
    count++;
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    inValue = false;
    literal = false;
    try {
      return JSON.parse(decoder.decode(bytes)) as JsonValue;
    } catch {
      throw invalid(count, "not valid JSON");
    }
  };
  const keep = (part: Uint8Array) => {
    size += part.length;
    if (size > maxBytes) throw invalid(count + 1, `larger than ${maxBytes} bytes`);
    parts.push(part);
  };

  for await (const chunk of chunks) {
    let start = 0;
    let i = 0;
    while (i < chunk.length) {
      const b = chunk[i];
      if (!inValue) {
        if (WHITESPACE.has(b)) {
          i++;
          continue;
        }
        if (CLOSE.has(b) || b === 0x2c || b === 0x3a) throw invalid(count + 1, `unexpected "${String.fromCharCode(b)}" between messages`);
        inValue = true;
        start = i;
        literal = !OPEN.has(b) && b !== QUOTE;
        inString = b === QUOTE;
        depth = OPEN.has(b) ? 1 : 0;
        i++;
        continue;
      }
      if (literal) {
        if (WHITESPACE.has(b) || DELIMITERS.has(b)) {
          // The literal ended just before this byte, which starts the next value (or is space).
          keep(chunk.subarray(start, i));
          yield finish();
          continue;
        }
      } else if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) {
        inString = true;
      } else if (OPEN.has(b)) {
        depth++;
      } else if (CLOSE.has(b)) {
        depth--;
      }
      i++;
      if (!literal && !inString && depth === 0) {
        keep(chunk.subarray(start, i));
        yield finish();
      }
    }
    if (inValue) keep(chunk.subarray(start));
  }
  if (inValue) {
    if (!literal) throw invalid(count + 1, "the body ended inside it");
    yield finish();
  }
}
