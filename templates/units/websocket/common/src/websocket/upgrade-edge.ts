/**
 * The edge checks for WebSocket upgrades. Node delivers upgrades on the server's 'upgrade' event, not
 * 'request', so the core edge pipeline never sees them; this runs the same steps on the handshake: request
 * id and client IP, security headers, module edge steps (WAF: IP/UA/country/proxy blocks), trusted hosts,
 * wss:// only in production, and the global per-client rate limit (each handshake counts as a request). CORS
 * does not apply (the Origin check in module.ts replaces it) and load shedding is left to the HTTP side. A refusal is an ordinary HTTP
 * response, written through a ServerResponse bound to the upgrade socket so it has the usual headers and body.
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { clientIp } from '../core/edge/client-ip.js';
import { globalRateLimit } from '../core/edge/rate-limit.js';
import { requestId } from '../core/edge/request-id.js';
import { sendError } from '../core/edge/respond.js';
import { securityHeaders } from '../core/edge/security-headers.js';
import { trustedHosts } from '../core/edge/trusted-hosts.js';
import type { AppContext, EdgeStep } from '../core/types.js';

export interface Handshake {
  /** Answer the handshake with an error (status, JSON body, security headers) and close the socket. */
  refuse(status: number, code: string, message: string, headers?: Record<string, string>): void;
  /** Release the socket from the HTTP response so `ws` can take it over. */
  release(): void;
}

/**
 * Production behind a TLS proxy: `ws://` is refused outright (the core redirects plain-HTTP reads, but a
 * WebSocket client does not follow redirects, and its ticket or cookie has already crossed in clear text).
 */
const secureOnly: EdgeStep = (req, res) => {
  const header = req.headers['x-forwarded-proto'];
  if (typeof header !== 'string') return false;
  const proto = header
    .slice(header.lastIndexOf(',') + 1)
    .trim()
    .toLowerCase();
  return proto === 'http' ? sendError(req, res, 400, 'https_required', 'Use wss://') : false;
};

export function buildUpgradeEdge(app: AppContext): (req: IncomingMessage, socket: Duplex) => Promise<Handshake | null> {
  const s = app.settings;
  const steps: EdgeStep[] = [securityHeaders(s.NODE_ENV === 'production')];
  for (const module of app.modules ?? []) if (module.edge) steps.push(module.edge(app));
  steps.push(trustedHosts(s.ALLOWED_HOSTS));
  if (s.NODE_ENV === 'production' && s.TRUST_PROXY_HOPS > 0) steps.push(secureOnly);
  steps.push(globalRateLimit(app.store, s.RATE_LIMIT_PER_MINUTE, app.log));

  return async (req, socket) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    req.edge = {
      id: requestId(req.headers['x-request-id']),
      ip: clientIp(req, s.TRUST_PROXY_HOPS),
      start: process.hrtime.bigint(),
      path: q === -1 ? url : url.slice(0, q),
    };
    const res = new ServerResponse(req);
    res.assignSocket(socket as never);
    res.shouldKeepAlive = false;
    const finish = () => {
      res.detachSocket(socket as never);
      socket.end();
    };
    res.once('finish', finish);
    res.once('close', finish);
    const handshake: Handshake = {
      refuse(status, code, message, headers) {
        sendError(req, res, status, code, message, { ...headers, Connection: 'close' });
      },
      release() {
        res.off('finish', finish);
        res.off('close', finish);
        res.detachSocket(socket as never);
      },
    };
    for (const step of steps) {
      try {
        if (await step(req, res)) return null;
      } catch (err) {
        app.log.error({ err, reqId: req.edge.id }, 'upgrade edge step failed');
        handshake.refuse(500, 'internal', 'Internal server error');
        return null;
      }
    }
    return handshake;
  };
}
