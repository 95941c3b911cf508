/**
 * Short-lived shared state: rate-limit counters, single-use tickets, revocation marks, challenge replays.
 * In memory by default (one process); the redis unit swaps in a Redis store when REDIS_URL is set so that
 * every instance sees the same counts.
 */
export interface HitResult {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the window ends (ms since epoch). */
  resetAt: number;
}

export interface Store {
  /** Count one hit for `key` in a fixed window of `windowMs`. */
  hit(key: string, windowMs: number): Promise<HitResult>;
  /**
   * `hit` without a promise, for a store that counts in this process (the in-memory one). Per-request counters
   * use it when present, so the common path takes no promise and no extra tick; shared stores leave it out.
   */
  hitSync?(key: string, windowMs: number): HitResult;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Get and delete in one step (single-use tickets). */
  take(key: string): Promise<string | null>;
  /** Set only when absent; false when the key already exists (replay protection). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  close?(): Promise<void>;
}

interface Entry {
  value: string;
  count: number;
  expiresAt: number;
}

/**
 * A bounded in-memory store. Entries expire lazily on read and in a periodic sweep; past `maxEntries` the
 * oldest entries are dropped first, so a flood of distinct keys cannot grow memory without bound (C27).
 */
export class MemoryStore implements Store {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly maxEntries = 100_000) {
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, entry: Entry): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
  }

  hitSync(key: string, windowMs: number): HitResult {
    const now = Date.now();
    const entry = this.live(key, now);
    if (entry) {
      entry.count += 1;
      return { count: entry.count, resetAt: entry.expiresAt };
    }
    const resetAt = now + windowMs;
    this.put(key, { value: '', count: 1, expiresAt: resetAt });
    return { count: 1, resetAt };
  }

  async hit(key: string, windowMs: number): Promise<HitResult> {
    return this.hitSync(key, windowMs);
  }

  async get(key: string): Promise<string | null> {
    return this.live(key, Date.now())?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(key, { value, count: 0, expiresAt: Date.now() + ttlMs });
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async take(key: string): Promise<string | null> {
    const entry = this.live(key, Date.now());
    if (!entry) return null;
    this.entries.delete(key);
    return entry.value;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key, Date.now())) return false;
    this.put(key, { value, count: 0, expiresAt: Date.now() + ttlMs });
    return true;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
