/**
 * Password hashing (C06): argon2id with the OWASP parameters, set explicitly so that a change of library
 * defaults never silently weakens new hashes, and so that `needsRehash` can notice old ones.
 *
 * `@node-rs/argon2` hashes on the libuv thread pool, never on the event loop. A small gate keeps at most
 * `HASH_CONCURRENCY` hashes running, so a burst of logins cannot occupy every pool thread (file reads, DNS and
 * zlib use the same pool) nor allocate 19 MiB per login without bound: `/health` keeps answering (C27).
 */
import { availableParallelism } from 'node:os';
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`: the package's enum is a `const enum`, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;

export const HASH_PARAMS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456, // KiB (19 MiB), OWASP Password Storage Cheat Sheet, argon2id option 1
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

/** At most half the pool threads (UV_THREADPOOL_SIZE defaults to 4), at most the cores. */
const HASH_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism() - 1));

let running = 0;
const waiting: Array<() => void> = [];

async function gated<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export function hashPassword(password: string): Promise<string> {
  return gated(() => hash(password, HASH_PARAMS));
}

/** False for a wrong password and for a malformed stored hash (never throws on bad input). */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await gated(() => verify(storedHash, password));
  } catch {
    return false;
  }
}

/** True when the stored hash was made with other parameters (or another algorithm) than today's. */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== HASH_PARAMS.algorithm ||
      used.memoryCost !== HASH_PARAMS.memoryCost ||
      used.timeCost !== HASH_PARAMS.timeCost ||
      used.parallelism !== HASH_PARAMS.parallelism ||
      used.outputLen !== HASH_PARAMS.outputLen
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password, made once. Logins for unknown accounts verify against it, so that they take as
 * long as logins for known ones and the timing does not tell which emails have accounts.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hash(crypto.randomUUID(), HASH_PARAMS);
  return dummy;
}
