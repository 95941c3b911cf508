/**
 * The account fields' rules, defined once and used by registration, login, the profile route and the
 * `user:create` script (C04, C18).
 *
 * Passwords follow NIST SP 800-63B and OWASP: 12 to 128 characters, any characters, no composition rules,
 * refused when they are on the common-password list or equal to the email. Unicode is normalised (NFKC) before
 * hashing and before verifying, so the same password typed on another keyboard still matches.
 */
import { z } from 'zod';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Characters as people count them (code points), not UTF-16 units. */
function length(value: string): number {
  return [...value].length;
}

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());

/** A new password: the full policy. Returns the normalised password. */
export const newPasswordSchema = z
  .string()
  .transform(normalizePassword)
  .refine((p) => length(p) >= PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .refine((p) => length(p) <= PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'This password is too common; choose another.');

/** A password offered at login: only bounded (the policy may have changed since it was set). */
export const loginPasswordSchema = z
  .string()
  .min(1)
  .max(PASSWORD_MAX * 4)
  .transform(normalizePassword);

export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // Control characters have no place in a name and make log lines and UIs lie.
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'Control characters are not allowed.');

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** A new password must not be the account's own email (checked where both are known). */
export function isEmailAsPassword(password: string, email: string): boolean {
  return password.toLowerCase() === email.toLowerCase();
}

export const EMAIL_AS_PASSWORD_MESSAGE = 'The password must not be the email address.';
