import { Writable } from "node:stream";
import type { ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, createService, type ServiceHost, type ServiceOptions } from "../src/index.js";

/** Log lines written by a test host, parsed. */
export function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ service: "test", level: "debug", destination }) };
}

/**
 * A chassis-built service hosting a test implementation of the auth contract (its request
 * messages carry real validation rules), listening on a free loopback port.
 */
export async function startTestHost(
  impl: Partial<ServiceImpl<typeof AuthService>>,
  extra: Partial<ServiceOptions> = {},
): Promise<{ host: ServiceHost; url: string; lines: Record<string, unknown>[] }> {
  const { lines, log } = captureLogs();
  const host = await createService({
    name: "test",
    serviceNames: [AuthService.typeName],
    routes: (router) => router.service(AuthService, impl),
    log,
    ...extra,
  });
  const url = await host.listen({ port: 0 });
  return { host, url, lines };
}
