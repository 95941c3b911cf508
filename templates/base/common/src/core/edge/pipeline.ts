/**
 * The edge pipeline: framework-neutral steps on the raw request, in a fixed order (docs/DESIGN.md):
 *
 *   request id + client IP → security headers → module edge steps (WAF) → trusted host → HTTPS redirect →
 *   CORS → backpressure → global rate limit → framework
 *
 * Headers come second so that every later answer carries them; the WAF comes before everything that costs
 * (and before the host check, so blocked scanners are counted and logged as blocks). Steps run synchronously
 * until one returns a promise, so the common path costs no extra ticks. When a response closes, one log line
 * and the HTTP metrics are recorded.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { logRequest } from '../logger.js';
import type { AppContext, EdgeStep, Module } from '../types.js';
import { Backpressure } from './backpressure.js';
import { clientIp } from './client-ip.js';
import { cors } from './cors.js';
import { httpsOnly } from './https.js';
import { globalRateLimit } from './rate-limit.js';
import { requestId } from './request-id.js';
import { sendError } from './respond.js';
import { securityHeaders } from './security-headers.js';
import { trustedHosts } from './trusted-hosts.js';

export interface Edge {
  listener: RequestListener;
  backpressure: Backpressure;
  /** Stop background sampling (shutdown). */
  stop(): void;
}

export function buildEdge(app: AppContext, modules: readonly Module[], framework: RequestListener): Edge {
  const s = app.settings;
  const production = s.NODE_ENV === 'production';
  const hops = s.TRUST_PROXY_HOPS;
  const backpressure = new Backpressure(s.MAX_CONCURRENT_REQUESTS, s.MAX_EVENT_LOOP_DELAY_MS);

  const steps: EdgeStep[] = [securityHeaders(production)];
  for (const module of modules) if (module.edge) steps.push(module.edge(app));
  steps.push(trustedHosts(s.ALLOWED_HOSTS));
  if (production && hops > 0) steps.push(httpsOnly());
  steps.push(cors(s.CORS_ORIGINS));
  steps.push(backpressure.step());
  steps.push(globalRateLimit(app.store, s.RATE_LIMIT_PER_MINUTE, app.log));
  const count = steps.length;

  const { log, metrics } = app;
  metrics.describe('http_requests_total', 'counter', 'HTTP requests by method, route pattern and status');
  metrics.describe('http_request_duration_seconds', 'histogram', 'HTTP request duration by method and route');
  metrics.gauge('http_requests_in_flight', 'Requests being served', () => backpressure.inFlight);
  metrics.gauge(
    'nodejs_eventloop_delay_max_seconds',
    'Longest event-loop delay, last 0.5 s',
    () => backpressure.loopDelayMs / 1000,
  );
  metrics.gauge('http_requests_shed_total', 'Requests refused with 503 by load shedding', () => backpressure.shed);

  // One shared listener (no closure per request): `this` is the response, `res.req` its request.
  function onClose(this: ServerResponse): void {
    backpressure.inFlight -= 1;
    const req = this.req;
    const seconds = Number(process.hrtime.bigint() - req.edge.start) / 1e9;
    const route = req.edge.route ?? '(unmatched)';
    const method = req.method ?? 'GET';
    metrics.inc('http_requests_total', { method, route, status: this.statusCode });
    metrics.observe('http_request_duration_seconds', { method, route }, seconds);
    logRequest(log, req, this, seconds * 1000);
  }

  function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    log.error({ err, reqId: req.edge.id }, 'edge step failed');
    if (!res.headersSent) sendError(req, res, 500, 'internal', 'Internal server error');
    else res.destroy();
  }

  function run(req: IncomingMessage, res: ServerResponse, from: number): void {
    for (let i = from; i < count; i++) {
      let result: boolean | Promise<boolean>;
      try {
        result = steps[i]!(req, res);
      } catch (err) {
        fail(req, res, err);
        return;
      }
      if (result === true) return;
      if (result !== false) {
        result.then(
          (answered) => {
            if (!answered) run(req, res, i + 1);
          },
          (err: unknown) => fail(req, res, err),
        );
        return;
      }
    }
    framework(req, res);
  }

  const listener: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    req.edge = {
      id: requestId(req.headers['x-request-id']),
      ip: clientIp(req, hops),
      start: process.hrtime.bigint(),
      path: q === -1 ? url : url.slice(0, q),
    };
    backpressure.inFlight += 1;
    res.once('close', onClose);
    if (app.shuttingDown) res.setHeader('Connection', 'close');
    run(req, res, 0);
  };

  return { listener, backpressure, stop: () => backpressure.stop() };
}
