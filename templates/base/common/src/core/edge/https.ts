/**
 * HTTPS enforcement behind a TLS-terminating proxy (C34), production only: the proxy says how the client
 * connected in X-Forwarded-Proto. Reads are redirected (308 keeps the method); writes are refused, because
 * their body already crossed the network in clear text and a redirect would make clients send it again.
 */
import type { EdgeStep } from '../types.js';
import { sendError } from './respond.js';

export function httpsOnly(): EdgeStep {
  return (req, res) => {
    const header = req.headers['x-forwarded-proto'];
    if (typeof header !== 'string') return false;
    // The last value is the one our own (trusted) proxy wrote.
    const comma = header.lastIndexOf(',');
    const proto = (comma === -1 ? header : header.slice(comma + 1)).trim().toLowerCase();
    if (proto !== 'http') return false;
    if (req.method === 'GET' || req.method === 'HEAD') {
      // The Host was checked against ALLOWED_HOSTS by the previous step, so this cannot redirect elsewhere.
      res.statusCode = 308;
      res.setHeader('Location', `https://${req.headers.host}${req.url ?? '/'}`);
      res.setHeader('Content-Length', '0');
      res.end();
      return true;
    }
    return sendError(req, res, 400, 'https_required', 'Use HTTPS');
  };
}
