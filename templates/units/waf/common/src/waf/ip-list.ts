/**
 * Reading IP lists (W1, W5): one address or CIDR range a line, `#` starts a comment (whole line or after the
 * entry), blank lines ignored, CRLF tolerated. Bad lines are reported with their line number so an operator can
 * fix a 100,000-line file; the caller decides whether a bad line rejects the whole file.
 */
import { parseRange, type Range } from './ip-set.js';

export interface ListProblem {
  line: number;
  /** The offending text, cut short: lists are not secret, and the text is what the operator searches for. */
  text: string;
}

export interface ParsedList {
  ranges: Range[];
  problems: ListProblem[];
  /** Lines that held an entry (valid or not), to judge how much of a download is garbage. */
  entries: number;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xfeff;
}

export function parseIpList(text: string): ParsedList {
  const ranges: Range[] = [];
  const problems: ListProblem[] = [];
  let entries = 0;
  let line = 0;
  let pos = 0;
  const length = text.length;
  let hash = -1; // the next `#` at or after pos (searched again only once passed, so the scan stays linear)
  while (pos <= length) {
    let next = text.indexOf('\n', pos);
    if (next < 0) next = length;
    line++;
    // Bounds of the entry: up to a `#`, without surrounding white space. No slicing on the good path.
    let end = next;
    if (hash !== length && hash < pos) {
      hash = text.indexOf('#', pos);
      if (hash < 0) hash = length;
    }
    if (hash < end) end = hash;
    let start = pos;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    pos = next + 1;
    if (start === end) continue;
    entries++;
    const range = parseRange(text, start, end);
    if (range) ranges.push(range);
    else {
      const entry = text.slice(start, end);
      problems.push({ line, text: entry.length > 60 ? `${entry.slice(0, 57)}...` : entry });
    }
  }
  return { ranges, problems, entries };
}

/** Parse entries from a comma list (an env var); returns the 1-based positions of bad entries. */
export function parseIpEntries(items: readonly string[]): { ranges: Range[]; bad: number[] } {
  const ranges: Range[] = [];
  const bad: number[] = [];
  items.forEach((item, i) => {
    const range = parseRange(item.trim());
    if (range) ranges.push(range);
    else bad.push(i + 1);
  });
  return { ranges, bad };
}

/** "line 3: "x"; line 9: "y"" — at most `max` problems, then a count. */
export function describeProblems(problems: readonly ListProblem[], max = 10): string {
  const shown = problems.slice(0, max).map((p) => `line ${p.line}: "${p.text}" is not an IP address or CIDR range`);
  if (problems.length > max) shown.push(`and ${problems.length - max} more`);
  return shown.join('; ');
}
