/** Shared by the WAF tests: a probe route that records whether a request got through, and log/metric readers. */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { RouteDef } from '../../src/core/types.js';
import type { TestServer } from '../helpers/server.js';

export const reached = { count: 0 };

/** A route that counts the requests that reached it (so a test can prove a block happened before routing). */
export const probeRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/api/v1/waf-probe',
    auth: false,
    handler: async () => {
      reached.count++;
      return { body: { ok: true } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/waf-probe',
    auth: false,
    body: 'json',
    handler: async () => {
      reached.count++;
      return { body: { ok: true } };
    },
  },
];

export interface LogLine {
  event?: string;
  rule?: string;
  level?: number | string;
  [key: string]: unknown;
}

export function logLines(server: TestServer): LogLine[] {
  return server.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

export function events(server: TestServer, event: string): LogLine[] {
  return logLines(server).filter((l) => l.event === event);
}

/** The value of `waf_blocks_total{rule="..."}`, 0 when absent. */
export function blockCount(server: TestServer, rule: string): number {
  const m = new RegExp(`^waf_blocks_total\\{rule="${rule}"\\} (\\d+)$`, 'm').exec(server.app.metrics.render());
  return m ? Number(m[1]) : 0;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 8000, stepMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** The block body without its request id, to compare blocks on different paths. */
export function withoutRequestId(body: { error: { requestId?: string } }): unknown {
  const { requestId, ...rest } = body.error;
  return { ...body, error: rest, hadRequestId: typeof requestId === 'string' && requestId.length > 0 };
}

/** Worker threads Node creates while `work` runs (Node announces each on this channel). */
export async function countWorkers(work: () => Promise<unknown>): Promise<number> {
  let workers = 0;
  const seen = () => {
    workers++;
  };
  subscribe('worker_threads', seen);
  try {
    await work();
  } finally {
    unsubscribe('worker_threads', seen);
  }
  return workers;
}
