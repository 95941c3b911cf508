/** Queries on `api_keys` (C10: parameterised through Kysely). */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type ApiKeyScope, generateApiKey, isScope } from '../auth/api-key-format.js';
import type { KeySource, StoredApiKey } from '../auth/key-sources.js';
import type { Database } from '../database/schema.js';
import './table.js';

/** Create a key; returns the key itself, which exists nowhere else from now on. */
export async function createApiKey(
  db: Kysely<Database>,
  input: { name: string; scopes: readonly ApiKeyScope[] },
): Promise<{ id: string; key: string; prefix: string }> {
  const { key, prefix, hash } = generateApiKey();
  const id = randomUUID();
  await db
    .insertInto('api_keys')
    .values({
      id,
      name: input.name,
      prefix,
      key_hash: hash,
      scopes: input.scopes.join(' '),
      created_at: new Date().toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, key, prefix };
}

/** Revoke by prefix; false when no live key has it. */
export async function revokeApiKey(db: Kysely<Database>, prefix: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where('prefix', '=', prefix)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The table as a key source for the auth provider: one indexed lookup by prefix per request. */
export function tableKeySource(db: () => Kysely<Database>): KeySource {
  return {
    async candidates(prefix): Promise<StoredApiKey[]> {
      const row = await db()
        .selectFrom('api_keys')
        .select(['id', 'name', 'key_hash', 'scopes'])
        .where('prefix', '=', prefix)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return [];
      return [
        {
          id: row.id,
          name: row.name,
          hash: Buffer.from(row.key_hash, 'hex'),
          scopes: row.scopes.split(' ').filter(isScope),
        },
      ];
    },
    async stillValid(id) {
      const row = await db()
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
