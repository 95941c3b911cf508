/**
 * Test helpers: a real server on 127.0.0.1 with an OS-assigned port, and `request()` over node:http, which
 * (unlike fetch) can send any Host, repeated headers and malformed bodies. Log lines are captured as JSON
 * strings so tests can assert on what reaches the log.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { AppContext, RouteDef } from '../../src/core/types.js';
import { createServer } from '../../src/create-server.js';
import { settingsShape } from '../../src/registry.js';

export interface TestServer {
  url: string;
  port: number;
  app: AppContext;
  /** Every JSON log line written so far. */
  logs: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  /** Extra routes for the test (a route that throws, a slow route). */
  extraRoutes?: RouteDef[];
}

/** Defaults that make a test server quiet about nothing and strict about everything. */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  ALLOWED_HOSTS: 'localhost,127.0.0.1',
  // A busy CI runner stalls the event loop now and then; tests of other controls must not be shed for it
  // (the load-shedding test sets its own threshold).
  MAX_EVENT_LOOP_DELAY_MS: '60000',
};

/** The run's shared test database (see global-setup.ts), for tests that do not bring their own. */
function sharedDatabaseEnv(): Record<string, string> {
  return JSON.parse(process.env.TEST_SHARED_DATABASE_ENV ?? '{}') as Record<string, string>;
}

/**
 * Production mode refuses missing or weak secrets (C21). A test that boots in production to check a
 * production-only behaviour gets a strong random value for every `*_SECRET` setting it did not set itself,
 * whatever units the project has.
 */
function withTestSecrets(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (env.NODE_ENV !== 'production') return env;
  const filled = { ...env };
  for (const name of Object.keys(settingsShape)) {
    // Only when absent: a test that passes `NAME: undefined` means "boot without it" (and expects a refusal).
    if (name.endsWith('_SECRET') && !(name in filled)) filled[name] = randomBytes(48).toString('base64url');
  }
  return filled;
}

/**
 * Start a server with `TEST_ENV` plus `env` (nothing is inherited from process.env, so tests are hermetic).
 * Rejects with the SettingsError when the configuration is invalid.
 */
export async function startServer(
  env: Record<string, string | undefined> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  const logs: string[] = [];
  let partial = '';
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      partial += chunk.toString('utf8');
      let newline = partial.indexOf('\n');
      while (newline !== -1) {
        logs.push(partial.slice(0, newline));
        partial = partial.slice(newline + 1);
        newline = partial.indexOf('\n');
      }
      done();
    },
  });
  const running = await createServer({
    env: withTestSecrets({ ...TEST_ENV, ...sharedDatabaseEnv(), ...env }),
    logStream,
    extraRoutes: options.extraRoutes,
  });
  await new Promise<void>((resolve, reject) => {
    running.server.once('error', reject);
    running.server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = running.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, app: running.app, logs, close: running.close };
}

export interface RequestOptions {
  method?: string;
  /** Values may be arrays: each element is sent as its own header line. `host` overrides the Host header. */
  headers?: Record<string, string | string[]>;
  /** Raw body, sent as is. */
  body?: string | Buffer;
  /** JSON body (sets Content-Type: application/json). */
  json?: unknown;
  /** Form body (sets Content-Type: application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** Give up after this many ms (default 10 s). */
  timeoutMs?: number;
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
  json<T = any>(): T;
}

export function request(server: { port: number }, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const headers: OutgoingHttpHeaders = { host: `localhost:${server.port}`, ...lowercase(options.headers ?? {}) };
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  if (body !== undefined && headers['transfer-encoding'] === undefined) {
    headers['content-length'] ??= String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers,
        agent: false,
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`request to ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function lowercase(headers: Record<string, string | string[]>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
