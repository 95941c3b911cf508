/**
 * A real WebSocket client for tests (the `ws` package): open a socket with chosen headers, read the HTTP
 * status of a refused handshake, wait for messages and for the close code.
 */
import { WebSocket } from 'ws';

export interface OpenResult {
  /** The open socket, or undefined when the handshake was refused. */
  ws?: WebSocket;
  /** HTTP status of a refused handshake (101 never shows here). */
  status?: number;
  /** JSON body of a refused handshake, when it had one. */
  body?: any;
}

export interface OpenOptions {
  headers?: Record<string, string>;
  /** Query string without `?`, e.g. `ticket=…`. */
  query?: string;
  path?: string;
  /** Send this Origin header. */
  origin?: string;
  /** Host header (default localhost:<port>). */
  host?: string;
}

export function openSocket(server: { port: number }, options: OpenOptions = {}): Promise<OpenResult> {
  const path = options.path ?? '/api/v1/ws';
  const url = `ws://127.0.0.1:${server.port}${path}${options.query ? `?${options.query}` : ''}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { host: options.host ?? `localhost:${server.port}`, ...options.headers },
      ...(options.origin ? { origin: options.origin } : {}),
      perMessageDeflate: false,
    });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode, body });
      });
      res.on('error', () => resolve({ status: res.statusCode }));
    });
    ws.once('error', (err) => reject(err));
  });
}

/** The next message, parsed as JSON. */
export function nextMessage(ws: WebSocket, timeoutMs = 3_000): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message')), timeoutMs);
    ws.once('message', (data) => {
      clearTimeout(timer);
      resolve(JSON.parse(String(data)));
    });
  });
}

/** Resolves with the close code (and how long it took) once the server closes the socket. */
export function closed(ws: WebSocket, timeoutMs = 5_000): Promise<{ code: number; reason: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (ws.readyState === WebSocket.CLOSED) return reject(new Error('already closed'));
    const timer = setTimeout(() => reject(new Error('socket not closed')), timeoutMs);
    ws.on('error', () => undefined); // a 1009 close also surfaces as an error on the client side
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: String(reason), ms: Date.now() - started });
    });
  });
}

export function send(ws: WebSocket, message: unknown): void {
  ws.send(typeof message === 'string' ? message : JSON.stringify(message));
}
