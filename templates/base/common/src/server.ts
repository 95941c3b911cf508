/**
 * Entry point (`npm start`, Procfile `web:`). First what the units start before the app is loaded
 * (src/preload.ts: with the WAF and WAF_BLOCK_IPS_FILE, its IP list begins building in a worker thread), then
 * the app itself (src/main.ts). The app comes in through a dynamic import so that the preload runs while Node is
 * still compiling the app's code (a static import is compiled, with everything else, before any of it runs).
 */
import './preload.js';

await import('./main.js');
