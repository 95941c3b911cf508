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

export function parseIpList(text: string): ParsedList {
  const ranges: Range[] = [];
  const problems: ListProblem[] = [];
  let entries = 0;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    let next = text.indexOf('\n', pos);
    if (next < 0) next = text.length;
    line++;
    let raw = text.slice(pos, next);
    pos = next + 1;
    const hash = raw.indexOf('#');
    if (hash >= 0) raw = raw.slice(0, hash);
    const entry = raw.trim();
    if (entry.length === 0) continue;
    entries++;
    const range = parseRange(entry);
    if (range) ranges.push(range);
    else problems.push({ line, text: entry.length > 60 ? `${entry.slice(0, 57)}...` : entry });
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
