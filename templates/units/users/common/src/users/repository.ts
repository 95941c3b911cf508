/**
 * Every query on `users`, parameterised through Kysely (C10). The password hash is read only by
 * `findCredentialsByEmail` and written only by `createUser`/`updatePasswordHash`; everything else selects the
 * public columns, so a hash cannot reach a response by accident (C23).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import './table.js';
import type { Role } from './validators.js';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  createdAt: string;
}

const PUBLIC_COLUMNS = ['id', 'email', 'display_name', 'role', 'created_at'] as const;

interface PublicRow {
  id: string;
  email: string;
  display_name: string | null;
  role: Role;
  created_at: string;
}

function toRecord(row: PublicRow): UserRecord {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, createdAt: row.created_at };
}

export class EmailTakenError extends Error {
  constructor() {
    super('email taken');
    this.name = 'EmailTakenError';
  }
}

/** Unique-constraint violation on SQLite, PostgreSQL or MySQL/MariaDB. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown };
  return (
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === '23505' ||
    e.code === 'ER_DUP_ENTRY' ||
    e.errno === 1062
  );
}

export async function createUser(
  db: Kysely<Database>,
  input: { email: string; passwordHash: string; displayName?: string | null; role?: Role },
): Promise<UserRecord> {
  const row: PublicRow = {
    id: randomUUID(),
    email: input.email,
    display_name: input.displayName ?? null,
    role: input.role ?? 'user',
    created_at: new Date().toISOString(),
  };
  try {
    await db
      .insertInto('users')
      .values({ ...row, password_hash: input.passwordHash })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTakenError();
    throw err;
  }
  return toRecord(row);
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** For login only: the one read of the hash. */
export async function findCredentialsByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<(UserRecord & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...PUBLIC_COLUMNS, 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
  return row ? { ...toRecord(row), passwordHash: row.password_hash } : undefined;
}

export async function updatePasswordHash(db: Kysely<Database>, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

export async function updateDisplayName(
  db: Kysely<Database>,
  id: string,
  displayName: string,
): Promise<UserRecord | undefined> {
  await db.updateTable('users').set({ display_name: displayName }).where('id', '=', id).execute();
  return findUserById(db, id);
}

export async function updateRole(db: Kysely<Database>, id: string, role: Role): Promise<void> {
  await db.updateTable('users').set({ role }).where('id', '=', id).execute();
}

export async function listUsers(
  db: Kysely<Database>,
  page: { limit: number; offset: number },
): Promise<{ data: UserRecord[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('users')
      .select(PUBLIC_COLUMNS)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { data: rows.map(toRecord), total: Number(count.n) };
}
