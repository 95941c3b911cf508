/**
 * The docs UI: Swagger UI from the pinned `swagger-ui-dist` package, served by this app (no CDN, nothing loaded
 * from elsewhere). The page is the one HTML document of the API, so it gets its own CSP instead of the JSON
 * API's `default-src 'none'`: scripts and styles from this origin only (Swagger UI sets inline styles, hence
 * 'unsafe-inline' for styles, never for scripts). The initializer is a static file, not an inline script.
 * `validatorUrl: null` stops Swagger UI sending the spec to validator.swagger.io.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';

export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API documentation</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
`;

/** Files the docs UI may load; anything else under /docs is 404 (no path from the URL reaches the disk). */
const ASSETS: Record<string, { type: string; file?: string; text?: string }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', file: 'swagger-ui.css' },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: 'swagger-ui-bundle.js' },
  'init.js': { type: 'text/javascript; charset=utf-8', text: INIT },
};

let distDir: string | undefined;
function swaggerDist(): string {
  distDir ??= path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return distDir;
}

export function page(): { type: string; stream: Readable } {
  return { type: 'text/html; charset=utf-8', stream: Readable.from([PAGE]) };
}

export function asset(name: string): { type: string; stream: Readable } | null {
  const entry = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!entry) return null;
  const stream = entry.file
    ? createReadStream(path.join(swaggerDist(), entry.file))
    : Readable.from([entry.text ?? '']);
  return { type: entry.type, stream };
}
