import { CliError } from '../errors.js';

/**
 * A resource added with `secure-api generate resource <name> --fields title:string,done:boolean`. Recorded in
 * `.secure-api.json` as `{ "name": "books", "fields": ["title:string", "done:boolean", "notes:text?"] }`, so the
 * spec that made it is readable, re-typeable and known to `check`.
 */
export const FIELD_TYPES = ['string', 'text', 'int', 'number', 'boolean', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface ResourceField {
  /** camelCase: the JSON key. The column is its snake_case form. */
  name: string;
  type: FieldType;
  /** `name:type?`: may be omitted on create, stored as NULL. */
  optional: boolean;
}

export interface ResourceSpec {
  name: string;
  fields: string[];
}

/**
 * Names a resource cannot take: the folders and routes of the built-in units (a resource `files` would fight the
 * uploads feature for /api/v1/files), and SQL words that make awkward table names.
 */
export const RESERVED_RESOURCE_NAMES: Readonly<Record<string, string>> = {
  items: 'the built-in items resource',
  users: 'the users unit (/api/v1/users)',
  admin: 'the users unit (/api/v1/admin)',
  auth: 'the auth unit (/api/v1/auth)',
  files: 'the uploads feature (/api/v1/files)',
  uploads: 'the uploads feature',
  ws: 'the websocket feature (/api/v1/ws)',
  websocket: 'the websocket feature',
  docs: 'the docs feature',
  openapi: 'the docs feature',
  metrics: 'the metrics feature',
  health: 'the core health check',
  ready: 'the core readiness check',
  core: 'the core unit',
  database: 'the database unit',
  db: 'the database unit',
  redis: 'the redis feature',
  waf: 'the waf feature',
  resources: 'the resources folder',
  refresh_tokens: 'the jwt auth unit',
  sessions: 'the session auth unit',
  api_keys: 'the api-key auth unit',
  kysely_migration: "Kysely's migration table",
  kysely_migration_lock: "Kysely's migration lock table",
  user: 'an SQL keyword',
  order: 'an SQL keyword',
  group: 'an SQL keyword',
  select: 'an SQL keyword',
  table: 'an SQL keyword',
  index: 'an SQL keyword',
  key: 'an SQL keyword',
};

/** Which optional feature owns a reserved name (for the "conflict names both" message of `generate <feature>`). */
export const FEATURE_RESERVED_NAMES: Readonly<Record<string, readonly string[]>> = {
  uploads: ['files', 'uploads'],
  websocket: ['ws', 'websocket'],
  docs: ['docs', 'openapi'],
  metrics: ['metrics'],
  redis: ['redis'],
  waf: ['waf'],
};

const RESERVED_FIELDS = new Set(['id', 'ownerId', 'createdAt', 'updatedAt']);

/** Syntax, then (unless `reserved` is false: a recorded resource is read as it is) the reserved names. */
export function validateResourceName(name: string, reserved = true): void {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name) || name.length > 40) {
    throw new CliError(
      'usage_invalid_resource_name',
      `Invalid resource name "${name}": use lowercase letters and digits, words joined by "_", at most 40 characters (e.g. books, book_reviews).`,
    );
  }
  const owner = RESERVED_RESOURCE_NAMES[name];
  if (owner && reserved) throw new CliError('usage_reserved_resource_name', `The resource name "${name}" is taken by ${owner}.`, 'Pick another name.');
}

/** `title:string,done:boolean,notes:text?` → fields. Every problem is a usage error naming the field. */
export function parseFields(spec: string | readonly string[]): ResourceField[] {
  const parts = (typeof spec === 'string' ? spec.split(',') : [...spec]).map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) {
    throw new CliError('usage_missing_fields', 'A resource needs at least one field: --fields title:string,done:boolean', `Types: ${FIELD_TYPES.join(', ')}; add ? for an optional field (notes:text?).`);
  }
  const seen = new Set<string>();
  return parts.map((part) => {
    const match = /^([A-Za-z][A-Za-z0-9_]*):([a-z]+)(\?)?$/.exec(part);
    if (!match) throw new CliError('usage_invalid_field', `Invalid field "${part}": write name:type, e.g. title:string or notes:text?.`);
    const name = toCamel(match[1]!);
    const type = match[2]!;
    if (!(FIELD_TYPES as readonly string[]).includes(type)) {
      throw new CliError('usage_invalid_field_type', `Invalid type "${type}" for field "${name}". Types: ${FIELD_TYPES.join(', ')}.`);
    }
    if (name.length > 40) throw new CliError('usage_invalid_field', `The field name "${name}" is longer than 40 characters.`);
    if (RESERVED_FIELDS.has(name)) throw new CliError('usage_reserved_field', `The field "${name}" is added by the generator; pick another name.`);
    if (seen.has(name)) throw new CliError('usage_duplicate_field', `The field "${name}" is given twice.`);
    seen.add(name);
    return { name, type: type as FieldType, optional: match[3] === '?' };
  });
}

export function formatField(field: ResourceField): string {
  return `${field.name}:${field.type}${field.optional ? '?' : ''}`;
}

export function toCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function toPascal(name: string): string {
  const camel = toCamel(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
