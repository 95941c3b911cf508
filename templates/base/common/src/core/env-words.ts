/**
 * How an environment value is read, with no dependency: `settings.ts` builds its zod types on these, and code
 * that runs before the settings are loaded (src/preload.ts) reads raw values with the same rules.
 */

/** A comma-separated list, items trimmed, blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export const TRUE_WORDS: ReadonlySet<string> = new Set(['true', '1', 'yes', 'on']);
export const FALSE_WORDS: ReadonlySet<string> = new Set(['false', '0', 'no', 'off']);
