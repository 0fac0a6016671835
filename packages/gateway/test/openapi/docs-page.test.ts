import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerDocs } from "../../src/openapi/index.js";

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = fastify();
  registerDocs(app, { specUrl: "/openapi.json", path: "/docs" });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(() => app.close());

describe("registerDocs", () => {
  it("serves a Swagger UI page that loads its assets from our own server", async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js">');
    expect(html).toContain('href="/docs/swagger-ui.css"');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves the Swagger UI bundle and stylesheet with their content types", async () => {
    const js = await fetch(`${base}/docs/swagger-ui-bundle.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await js.text()).length).toBeGreaterThan(100_000);
    const css = await fetch(`${base}/docs/swagger-ui.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("points the page at the spec URL", async () => {
    const init = await (await fetch(`${base}/docs/swagger-initializer.js`)).text();
    expect(init).toContain('url: "/openapi.json"');
  });

  it("answers 404 for files it does not serve", async () => {
    expect((await fetch(`${base}/docs/package.json`)).status).toBe(404);
  });
});
