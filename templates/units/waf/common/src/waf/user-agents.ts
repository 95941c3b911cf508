/**
 * User-agent blocking (W2). All substrings (built-in and configured) are compiled once into one
 * case-insensitive Aho–Corasick automaton (`substring-automaton.ts`): one pass over the header, one table read
 * per character, whatever the number of patterns. Configured `/regex/` entries are checked by `safe-regex.ts`
 * and run on the first 512 characters only.
 */
import { unsafeRegexReason } from './safe-regex.js';
import { SubstringAutomaton } from './substring-automaton.js';
import { BUILTIN_USER_AGENTS } from './user-agent-list.js';

/** Regexes only see this much of the header. */
export const REGEX_INPUT_LIMIT = 512;

export type UaPattern = { kind: 'substring'; value: string } | { kind: 'regex'; source: string; flags: string };

/**
 * Split `WAF_BLOCK_USER_AGENTS` on commas, except commas inside a `/regex/` (which may hold `{1,3}`).
 * An entry that starts with `/` runs to the next unescaped `/` followed by optional flags and then a comma or
 * the end; everything else is a substring, trimmed and lowercased.
 */
export function splitUaPatterns(value: string): { patterns: UaPattern[]; problems: string[] } {
  const patterns: UaPattern[] = [];
  const problems: string[] = [];
  let i = 0;
  let index = 0;
  while (i < value.length) {
    while (i < value.length && (value[i] === ' ' || value[i] === '\t' || value[i] === ',')) i++;
    if (i >= value.length) break;
    index++;
    if (value[i] === '/') {
      let j = i + 1;
      let inClass = false;
      while (j < value.length) {
        const c = value[j];
        if (c === '\\') j += 2;
        else {
          if (c === '[') inClass = true;
          else if (c === ']') inClass = false;
          else if (c === '/' && !inClass) break;
          j++;
        }
      }
      if (j >= value.length) {
        problems.push(`entry ${index}: regex has no closing /`);
        break;
      }
      const source = value.slice(i + 1, j);
      let k = j + 1;
      while (k < value.length && /[a-z]/.test(value[k]!)) k++;
      const flags = value.slice(j + 1, k);
      while (k < value.length && value[k] === ' ') k++;
      if (k < value.length && value[k] !== ',') {
        problems.push(`entry ${index}: unexpected text after the regex`);
        while (k < value.length && value[k] !== ',') k++;
      } else if (flags.replace('i', '') !== '') {
        problems.push(`entry ${index}: only the i flag is allowed`);
      } else if (source.length === 0) {
        problems.push(`entry ${index}: empty regex`);
      } else {
        const reason = unsafeRegexReason(source);
        if (reason) problems.push(`entry ${index}: regex ${reason}`);
        else {
          try {
            new RegExp(source, flags);
            patterns.push({ kind: 'regex', source, flags });
          } catch {
            problems.push(`entry ${index}: not a valid regex`);
          }
        }
      }
      i = k;
      continue;
    }
    let j = value.indexOf(',', i);
    if (j < 0) j = value.length;
    const text = value.slice(i, j).trim().toLowerCase();
    if (text.length > 0) patterns.push({ kind: 'substring', value: text });
    i = j;
  }
  return { patterns, problems };
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** Compiled user-agent rules. `match()` returns the rule name or null. */
export class UaMatcher {
  private readonly automaton: SubstringAutomaton;
  /** Non-ASCII substrings (rare): checked on a lowercased copy. */
  private readonly others: string[];
  private readonly regexes: RegExp[];
  private readonly blockEmpty: boolean;

  constructor(patterns: readonly UaPattern[], options: { builtin: boolean; blockEmpty: boolean }) {
    this.blockEmpty = options.blockEmpty;
    const substrings = new Set<string>(options.builtin ? BUILTIN_USER_AGENTS : []);
    const regexes: RegExp[] = [];
    for (const p of patterns) {
      if (p.kind === 'substring') substrings.add(p.value);
      else regexes.push(new RegExp(p.source, p.flags));
    }
    this.automaton = new SubstringAutomaton([...substrings].filter(isAscii));
    this.others = [...substrings].filter((s) => !isAscii(s)).map((s) => s.toLowerCase());
    this.regexes = regexes;
  }

  /** `user_agent` for a listed agent, `empty_user_agent` for a missing one (when enabled), else null. */
  match(ua: string | undefined): 'user_agent' | 'empty_user_agent' | null {
    if (ua === undefined || ua.trim().length === 0) return this.blockEmpty ? 'empty_user_agent' : null;
    if (this.automaton.test(ua)) return 'user_agent';
    if (this.others.length > 0) {
      const lower = ua.toLowerCase();
      for (const other of this.others) if (lower.includes(other)) return 'user_agent';
    }
    if (this.regexes.length > 0) {
      const head = ua.length > REGEX_INPUT_LIMIT ? ua.slice(0, REGEX_INPUT_LIMIT) : ua;
      for (const re of this.regexes) if (re.test(head)) return 'user_agent';
    }
    return null;
  }
}
