// Interactive API docs (Swagger UI) served from the swagger-ui-dist package on our own server:
// no CDN, so the docs work offline and in deployments without outbound internet.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Options of {@link registerDocs}. */
export interface DocsOptions {
  /** Where the page fetches the OpenAPI document, e.g. `/openapi.json`. */
  specUrl: string;
  /** Where the page is served, e.g. `/docs`; its assets live under it. */
  path: string;
  /**
   * Origins other than the page's own that "Try it out" may call (the OpenAPI `servers`, e.g.
   * `https://api.example.com`), for the page's Content-Security-Policy. Default: none.
   */
  apiOrigins?: string[];
}

/**
 * The page's Content-Security-Policy: what it really loads and nothing more. Scripts, styles
 * and the icon come from our own server; Swagger UI sets inline `style` attributes and its
 * stylesheet draws icons from `data:` URLs; it fetches the spec and runs "Try it out" against
 * the API. No framing (`frame-ancestors`, and X-Frame-Options for browsers without CSP 2), so
 * no other site can overlay the page to trick a click.
 */
export function docsContentSecurityPolicy(apiOrigins: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...apiOrigins].join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// The files the page needs. The standalone preset (top bar with a URL box) is left out on
// purpose: this page documents one API.
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

// Resolved through package.json because the package's main module would load the whole
// 1.7 MB browser bundle into Node just to tell us its folder.
function swaggerUiDir(): string {
  return dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
}

// JSON.stringify plus escaping `<` keeps any URL a harmless string literal inside a script.
const jsString = (s: string): string => JSON.stringify(s).replace(/</g, "\\u003c");
const htmlAttr = (s: string): string => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

// The initializer is its own file rather than an inline script, so a deployment can use a
// Content-Security-Policy of `script-src 'self'`.
function initializer(specUrl: string): string {
  return `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: ${jsString(specUrl)},
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Swagger UI would otherwise send the spec's URL to validator.swagger.io and show its badge.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;
}

function page(base: string): string {
  const a = htmlAttr(base);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs</title>
<link rel="stylesheet" href="${a}/swagger-ui.css">
<link rel="icon" type="image/png" href="${a}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${a}/swagger-ui-bundle.js"></script>
<script src="${a}/swagger-initializer.js"></script>
</body>
</html>
`;
}

interface Asset {
  type: string;
  body: string | Buffer;
  cacheControl: string;
}

/**
 * Serves Swagger UI at `opts.path` (and its assets below it) for the OpenAPI document at
 * `opts.specUrl`. The files are read once, here, so a missing package fails at startup.
 */
export function registerDocs(app: FastifyInstance, opts: DocsOptions): void {
  const base = opts.path.replace(/\/+$/, "");
  const dir = swaggerUiDir();
  const assets = new Map<string, Asset>();
  // The bundle changes only with the package version; an hour keeps upgrades visible soon.
  for (const [name, type] of Object.entries(ASSETS)) {
    assets.set(name, { type, body: readFileSync(join(dir, name)), cacheControl: "public, max-age=3600" });
  }
  const init = initializer(opts.specUrl);
  assets.set("swagger-initializer.js", { type: "text/javascript; charset=utf-8", body: init, cacheControl: "no-cache" });

  const html = page(base);
  const csp = docsContentSecurityPolicy(opts.apiOrigins);
  const servePage = async (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("content-security-policy", csp)
      .header("x-frame-options", "DENY")
      .send(html);
  app.get(base, servePage);
  app.get(`${base}/`, servePage);
  for (const [name, a] of assets) {
    app.get(`${base}/${name}`, async (_req, reply) => reply.type(a.type).header("cache-control", a.cacheControl).send(a.body));
  }
}
