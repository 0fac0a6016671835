import { connect } from "node:net";

/** A decoded RESP2 reply. */
export type RespValue = string | number | null | RespValue[];

type Parsed = { value: RespValue | Error; end: number } | undefined;

/**
 * Sends one command to the Redis server at `url` over a fresh connection and resolves with
 * the reply; an error reply rejects. Enough to probe a server or seed a key without a client
 * library; application code uses the platform's Redis client.
 */
export function redisCommand(url: string, args: string[], timeoutMs = 2000): Promise<RespValue> {
  const { hostname, port, username, password } = new URL(url);
  const commands = password
    ? [["AUTH", ...(username ? [decodeURIComponent(username)] : []), decodeURIComponent(password)], args]
    : [args];
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || 6379) });
    let buffer = Buffer.alloc(0);
    const replies: (RespValue | Error)[] = [];
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis ${args[0]}: no reply within ${timeoutMs} ms`)));
    socket.once("error", fail);
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let parsed = parse(buffer, 0); parsed; parsed = parse(buffer, 0)) {
        replies.push(parsed.value);
        buffer = buffer.subarray(parsed.end);
      }
      if (replies.length < commands.length) return;
      socket.end();
      const failed = replies.find((r) => r instanceof Error);
      if (failed instanceof Error) reject(failed);
      else resolve(replies[replies.length - 1] as RespValue);
    });
    socket.write(commands.map(encode).join(""));
  });
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

function parse(buf: Buffer, at: number): Parsed {
  const eol = buf.indexOf("\r\n", at);
  if (eol < 0) return undefined;
  const line = buf.toString("utf8", at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[at] ?? 0)) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new Error(line), end: next };
    case ":":
      return { value: Number(line), end: next };
    case "$": {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString("utf8", next, next + len), end: next + len + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, end);
        if (!item) return undefined;
        if (item.value instanceof Error) return item;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      return { value: new Error(`unexpected RESP reply: ${line}`), end: buf.length };
  }
}
