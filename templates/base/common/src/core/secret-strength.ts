/**
 * Is a signing secret strong enough for production (C21)? Returns a reason, never the value. Length is
 * counted in UTF-8 bytes because that is what the HMAC key is made of.
 */
const PLACEHOLDERS = [
  'changeme',
  'change',
  'secret',
  'password',
  'example',
  'default',
  'test',
  'dev',
  'your',
  'jwt',
  'session',
  'key',
];

export function secretWeakness(value: string | undefined, minBytes = 32): string | undefined {
  if (value === undefined || value === '') return 'is required in production';
  if (Buffer.byteLength(value, 'utf8') < minBytes) return `must be at least ${minBytes} bytes`;
  // `changeme-changeme-…` or `secret-secret-…`: long, but made of placeholder words.
  let rest = value.toLowerCase();
  for (const word of PLACEHOLDERS) rest = rest.replaceAll(word, '');
  if (rest.replace(/[^a-z0-9]/g, '').length < minBytes / 2) {
    return 'looks like a placeholder; generate one with `openssl rand -base64 48`';
  }
  // A random secret of 32+ characters has many distinct characters; `aaaa…` or `abab…` does not.
  if (new Set(value).size < 12) return 'has too few distinct characters to be random';
  return undefined;
}
