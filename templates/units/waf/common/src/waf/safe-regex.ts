/**
 * Guard for operator-supplied user-agent regexes (W2). JavaScript regexes backtrack, and a pattern like
 * `(a+)+$` takes exponential time on a crafted header. A custom pattern is refused when it has:
 * - a repeated group that itself contains a repetition or an alternation (`(a+)+`, `(a|ab)*`, `(\w+\s?)*`);
 * - a back-reference or a lookaround (they defeat the reasoning above);
 * - more than two unbounded repetitions in total (`.*a.*b.*c` is cubic);
 * - more than 200 characters.
 * Patterns are also only ever run on the first 512 characters of a header, so the polynomial cases that remain
 * stay in the microseconds.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_UNBOUNDED = 2;

interface Group {
  repeats: boolean; // contains a quantifier
  alternates: boolean; // contains `|`
}

/** Null when the pattern is safe to run, otherwise the reason it is refused. */
export function unsafeRegexReason(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let unbounded = 0;
  let lastWasGroup: Group | null = null; // the group that just closed, if the previous token was `)`
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    // Quantifiers apply to the previous token.
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let repeating = c !== '?';
      let isUnbounded = c === '*' || c === '+';
      let length = 1;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) return 'has a malformed {n,m} quantifier';
        length = m[0].length;
        const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        repeating = max > 1;
        isUnbounded = max === Number.POSITIVE_INFINITY;
      }
      if (isUnbounded && ++unbounded > MAX_UNBOUNDED) return `has more than ${MAX_UNBOUNDED} unbounded repetitions`;
      if (repeating && lastWasGroup && (lastWasGroup.repeats || lastWasGroup.alternates)) {
        return 'repeats a group that repeats or alternates (nested quantifier)';
      }
      if (repeating) top.repeats = true;
      i += length;
      if (pattern[i] === '?') i++; // lazy modifier
      lastWasGroup = null;
      continue;
    }
    lastWasGroup = null;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'ends with a lone backslash';
      if (/[1-9]/.test(next) || next === 'k') return 'uses a back-reference';
      i += 2;
      continue;
    }
    if (c === '[') {
      // Skip the class; `]` right after `[` or `[^` is a literal.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) return 'has an unclosed character class';
      i = j + 1;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const kind = pattern.slice(i + 2, i + 4);
        if (kind.startsWith('=') || kind.startsWith('!') || kind === '<=' || kind === '<!') return 'uses a lookaround';
      }
      stack.push({ repeats: false, alternates: false });
      // Skip the group's prefix so its `?` is not read as a quantifier: `(?:`, `(?<name>`.
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] === ':') i += 3;
        else if (pattern[i + 2] === '<') {
          const close = pattern.indexOf('>', i + 3);
          if (close < 0) return 'has a malformed named group';
          i = close + 1;
        } else return 'uses an unsupported group modifier';
      } else i += 1;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return 'has an unbalanced parenthesis';
      const closed = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      parent.repeats ||= closed.repeats;
      parent.alternates ||= closed.alternates;
      lastWasGroup = closed;
      i += 1;
      continue;
    }
    if (c === '|') top.alternates = true;
    i += 1;
  }
  if (stack.length !== 1) return 'has an unbalanced parenthesis';
  return null;
}
