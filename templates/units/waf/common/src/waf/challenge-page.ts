/**
 * The browser side of the challenge (W4): a self-contained HTML page that solves the ALTCHA proof of work with
 * inline script and retries with the solution in `X-Altcha`. No third-party script, no external resource: the
 * page carries its own Content-Security-Policy that allows exactly this script and this style by hash.
 *
 * The script is static (so its hash is constant); the per-request challenge is in a JSON data block, which the
 * browser never executes. SHA-256 is implemented in the script itself because `crypto.subtle` only exists on
 * HTTPS and localhost, and a synchronous hash in small batches is faster than awaiting one digest at a time.
 */
import { createHash } from 'node:crypto';
import type { ChallengeBody } from './challenge.js';

export const PAGE_SCRIPT = `(function () {
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,
    0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,
    0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,
    0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,
    0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  var w = new Int32Array(64);
  function sha256(s, out) {
    var n = s.length, words = (((n + 8) >> 6) + 1) << 4, m = new Int32Array(words), i, j, t;
    for (i = 0; i < n; i++) m[i >> 2] |= (s.charCodeAt(i) & 255) << (24 - (i & 3) * 8);
    m[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
    m[words - 1] = n * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372, h3 = 0xa54ff53a | 0,
      h4 = 0x510e527f, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (j = 0; j < words; j += 16) {
      for (t = 0; t < 16; t++) w[t] = m[j + t];
      for (t = 16; t < 64; t++) {
        var x = w[t - 15], y = w[t - 2];
        w[t] = (w[t - 16] + ((x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ (x >>> 3)) + w[t - 7] +
          ((y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ (y >>> 10))) | 0;
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (t = 0; t < 64; t++) {
        var t1 = (h + ((e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
        var t2 = (((a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    out[0] = h0; out[1] = h1; out[2] = h2; out[3] = h3; out[4] = h4; out[5] = h5; out[6] = h6; out[7] = h7;
  }
  var data = JSON.parse(document.getElementById('altcha-challenge').textContent);
  var status = document.getElementById('status');
  var target = new Int32Array(8), got = new Int32Array(8), k;
  for (k = 0; k < 8; k++) target[k] = parseInt(data.challenge.slice(k * 8, k * 8 + 8), 16) | 0;
  var next = 0;
  function found() {
    for (var q = 0; q < 8; q++) if (got[q] !== target[q]) return false;
    return true;
  }
  function send(number) {
    status.textContent = 'Verified. Loading...';
    var payload = btoa(JSON.stringify({ algorithm: data.algorithm, challenge: data.challenge, number: number,
      salt: data.salt, signature: data.signature }));
    fetch(location.href, { headers: { 'X-Altcha': payload }, credentials: 'same-origin', cache: 'no-store' }).then(
      function (r) {
        if (r.status === 429 || r.status === 403) status.textContent = 'Verification failed. Please reload the page.';
        else location.reload();
      },
      function () { status.textContent = 'Network error. Please reload the page.'; });
  }
  function work() {
    var end = Math.min(next + 20000, data.maxnumber);
    for (; next <= end; next++) {
      sha256(data.salt + next, got);
      if (found()) return send(next);
    }
    if (next > data.maxnumber) { status.textContent = 'Verification failed. Please reload the page.'; return; }
    setTimeout(work, 0);
  }
  setTimeout(work, 0);
})();`;

const PAGE_STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}p{color:#555}`;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The page's own policy: this script and this style only; it may call back to this origin, nothing else. */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(PAGE_SCRIPT)}`,
  `style-src ${cspHash(PAGE_STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON that is safe inside a <script> data block (no `</script>`, no `<!--`). */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function challengePage(challenge: ChallengeBody): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Checking your connection</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<h1>Checking your connection</h1>
<p id="status">This site is receiving a lot of traffic. Your browser is solving a short puzzle to prove it is not a bot; this page reloads when it is done.</p>
<noscript><p>Please enable JavaScript to continue.</p></noscript>
<script type="application/json" id="altcha-challenge">${scriptSafeJson(challenge)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
