import { type IncomingHttpHeaders, request } from "node:http";

/**
 * One HTTP request over node:http whose body is written piece by piece while its response is
 * read as it comes, for client and bidi streams (fetch cannot interleave the two).
 */
export interface Exchange {
  write(data: string | Uint8Array): void;
  /** Ends the request body. */
  end(): void;
  /** Drops the connection, as a client that goes away. */
  destroy(): void;
  /** The response's status and headers, once they came. */
  head(): Promise<{ status: number; headers: IncomingHttpHeaders }>;
  /** The response text so far, once `ready` holds for it. */
  until(ready: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The whole response text, once it has ended. */
  done(): Promise<string>;
}

/** Opens a request (POST by default) and leaves its body open. */
export function exchange(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Exchange {
  let text = "";
  let ended = false;
  const waiters = new Set<() => void>();
  const check = () => {
    for (const w of waiters) w();
  };
  const req = request(url, { method: init.method ?? "POST", headers: { "content-type": "application/x-ndjson", ...init.headers } });
  const head = new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
    req.on("response", (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        check();
      });
      res.on("end", () => {
        ended = true;
        check();
      });
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on("error", reject);
  });
  head.catch(() => {});
  // Streamed bodies: chunked transfer encoding, so each write reaches the server on its own.
  req.flushHeaders();

  const until = (ready: (t: string) => boolean, timeoutMs = 5_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(poll);
        reject(new Error(`timed out; response so far: ${JSON.stringify(text)}`));
      }, timeoutMs);
      function poll() {
        if (!ready(text)) return;
        clearTimeout(timer);
        waiters.delete(poll);
        resolve(text);
      }
      waiters.add(poll);
      poll();
    });

  return {
    write: (data) => void req.write(data),
    end: () => void req.end(),
    destroy: () => void req.destroy(),
    head: () => head,
    until,
    done: () => until(() => ended),
  };
}

/** The JSON values of a newline-delimited response. */
export const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
