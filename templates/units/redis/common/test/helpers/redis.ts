/**
 * Test helpers for the Redis-backed tests: where Redis is, whether it answers, and a TCP relay that a test can
 * cut and restore to simulate Redis going away without touching the real server.
 */
import net from 'node:net';

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers. Under CI a missing Redis is an error, so these tests cannot silently vanish. */
export async function redisAvailable(): Promise<boolean> {
  const { hostname, port } = new URL(redisUrl);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  if (!ok && process.env.CI)
    throw new Error(`Redis is not reachable at TEST_REDIS_URL (${hostname}:${port}); CI needs it`);
  return ok;
}

export interface RedisProxy {
  url: string;
  /** Drop every connection and refuse new ones (Redis "goes away"). */
  stop(): Promise<void>;
  /** Accept connections again (Redis "comes back"). */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(): Promise<RedisProxy> {
  const target = new URL(redisUrl);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect({ host: target.hostname, port: Number(target.port || 6379) });
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      const listening = server;
      listening.listen(port, '127.0.0.1', () => {
        port = (listening.address() as net.AddressInfo).port;
        resolve();
      });
    });

  const stop = async () => {
    const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closing;
    server = undefined;
  };

  await listen();
  const auth = target.username || target.password ? `${target.username}:${target.password}@` : '';
  return { url: `redis://${auth}127.0.0.1:${port}${target.pathname}`, stop, resume: listen, close: stop };
}
