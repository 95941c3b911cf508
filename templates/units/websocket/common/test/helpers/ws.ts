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
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
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
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON messages loosely
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

/**
 * A bare TCP client that completes the WebSocket handshake and then does nothing it is not told to: tests use
 * it to send frames while never reading (the `ws` client resumes its socket by itself).
 */
export async function rawSocket(
  server: { port: number },
  headers: Record<string, string>,
): Promise<import('node:net').Socket> {
  const net = await import('node:net');
  const socket = net.connect({ host: '127.0.0.1', port: server.port });
  const lines = [
    'GET /api/v1/ws HTTP/1.1',
    `Host: localhost:${server.port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(head.split('\r\n')[0]));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  return socket;
}

/** One masked text frame (clients must mask), as the WebSocket protocol lays it out. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = Buffer.from([1, 2, 3, 4]);
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : payload.length < 65_536
        ? Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff])
        : (() => {
            const b = Buffer.alloc(9);
            b[0] = 0x80 | 127;
            b.writeBigUInt64BE(BigInt(payload.length), 1);
            return b;
          })();
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}
