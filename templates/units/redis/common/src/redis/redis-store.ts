/**
 * The Store contract (src/core/store.ts) on Redis, so every instance of the app sees the same counters,
 * tickets, revocation marks and replay marks (C12). Each operation is one atomic Redis command or Lua script:
 * no read-modify-write races between instances.
 */
import type { Redis } from 'ioredis';
import type { HitResult, Store } from '../core/store.js';

// INCR then set the window on the first hit; PTTL tells the caller when the window ends. The `t < 0` branch
// repairs a key that lost its expiry (e.g. written by something else), so a counter can never live forever.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

// GET + DEL in one step; GETDEL needs Redis 6.2, the script works on any version Heroku still offers.
const TAKE_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if value then redis.call('DEL', KEYS[1]) end
return value
`;

interface ScriptCommands {
  secureApiHit(key: string, windowMs: number): Promise<[number, number]>;
  secureApiTake(key: string): Promise<string | null>;
}

export class RedisStore implements Store {
  private readonly scripts: ScriptCommands;

  /** `prefix` namespaces every key, so several apps (or test runs) can share one Redis. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection: the script text is not resent.
    redis.defineCommand('secureApiHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    redis.defineCommand('secureApiTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.scripts = redis as unknown as ScriptCommands;
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  async hit(key: string, windowMs: number): Promise<HitResult> {
    const window = Math.max(1, Math.ceil(windowMs));
    const [count, ttl] = await this.scripts.secureApiHit(this.key(key), window);
    return { count: Number(count), resetAt: Date.now() + Number(ttl) };
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.key(key));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async del(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  async take(key: string): Promise<string | null> {
    return this.scripts.secureApiTake(this.key(key));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const reply = await this.redis.set(this.key(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return reply === 'OK';
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
