/**
 * Credentials for tests, auth style `api-key`. `authHeaders(server, who)` makes a new key for `who` (once per
 * server) and hands the server its hash through the same key-source interface that API_KEY_HASHES uses, so
 * this works with and without a database. `alice` and `bob` get every resource scope; `admin` also `admin`.
 */
import { randomUUID } from 'node:crypto';
import { type ApiKeyScope, generateApiKey } from '../../src/auth/api-key-format.js';
import { addKeySource, staticKeySource } from '../../src/auth/key-sources.js';
import type { TestServer } from './server.js';

export type Who = 'alice' | 'bob' | 'admin';

export const authStyle = 'api-key';

const RESOURCE_SCOPES: ApiKeyScope[] = ['items:read', 'items:write', 'files:read', 'files:write'];

const headers = new WeakMap<TestServer, Map<Who, Record<string, string>>>();

/** A new key with these scopes, known to this server only. Returns the key. */
export function addTestKey(server: TestServer, name: string, scopes: readonly ApiKeyScope[]): string {
  const { key, hash } = generateApiKey();
  addKeySource(
    server.app,
    staticKeySource([{ id: randomUUID(), name, hash: Buffer.from(hash, 'hex'), scopes: [...scopes] }]),
  );
  return key;
}

export async function authHeaders(server: TestServer, who: Who): Promise<Record<string, string>> {
  let perServer = headers.get(server);
  if (!perServer) {
    perServer = new Map();
    headers.set(server, perServer);
  }
  let value = perServer.get(who);
  if (!value) {
    const scopes: ApiKeyScope[] = who === 'admin' ? [...RESOURCE_SCOPES, 'admin'] : RESOURCE_SCOPES;
    value = { 'x-api-key': addTestKey(server, `test-${who}`, scopes) };
    perServer.set(who, value);
  }
  return value;
}
