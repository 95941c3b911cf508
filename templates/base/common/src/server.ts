/**
 * Entry point (`npm start`, Procfile `web:`). First what the units start before the app is loaded
 * (src/preload.ts: with the WAF and WAF_BLOCK_IPS_FILE, its IP list begins building in a worker thread), then
 * the app itself (src/main.ts). The app comes in through a dynamic import so that the preload runs while Node is
 * still compiling the app's code (a static import is compiled, with everything else, before any of it runs).
 */
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import './preload.js';

// Compiling the bundled app is a good part of a cold start. `npm run build` leaves V8's code cache for it in
// dist/.compile-cache (scripts/bundle.mjs), portable so that it still applies once the platform moves the
// build to where it runs (Heroku builds in /tmp and runs from /app); Node checks each entry against the
// source and its own version and flags, and compiles afresh when one does not match. Absent under `npm run
// dev` (src/ has no such folder), so nothing is written there.
const codeCache = fileURLToPath(new URL('./.compile-cache', import.meta.url));
if (existsSync(codeCache)) enableCompileCache({ directory: codeCache, portable: true });

const { start } = await import('./main.js');
await start();
