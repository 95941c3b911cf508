/**
 * Reading IP lists (W1, W5): one address or CIDR range a line, `#` starts a comment (whole line or after the
 * entry), blank lines ignored, CRLF tolerated. Bad lines are reported with their line number so an operator can
 * fix a 100,000-line file; the caller decides whether a bad line rejects the whole file.
 */
import { parseRange, type Range, RangeList } from './ip-set.js';

export interface ListProblem {
  line: number;
  /** The offending text, cut short: lists are not secret, and the text is what the operator searches for. */
  text: string;
}

export interface ParsedList {
  /** The valid entries, in flat storage: hand them to `IpSetBuilder.addList`. */
  ranges: RangeList;
  problems: ListProblem[];
  /** Lines that held an entry (valid or not), to judge how much of a download is garbage. */
  entries: number;
}

/**
 * What each UTF-16 code unit is to the reader, looked up in one step rather than by a function: until the
 * engine has compiled the loop below (most of a 100,000-line file at startup), every call is a real call.
 */
const SPACE = 1; // white space around an entry
const WORD_END = 2; // ends an entry: white space, `#` or a newline
const charClass = new Uint8Array(0x10000);
for (const c of [32, 9, 13, 11, 12, 0xfeff]) charClass[c] = SPACE | WORD_END;
charClass[10] = WORD_END;
charClass[35] = WORD_END;

/** Where reading a list is, between two batches of lines. */
interface Reader {
  readonly text: string;
  pos: number; // where the next line starts
  line: number; // lines read
  entries: number;
  readonly ranges: RangeList;
  readonly problems: ListProblem[];
}

export function parseIpList(text: string): ParsedList {
  const reader: Reader = { text, pos: 0, line: 0, entries: 0, ranges: new RangeList(), problems: [] };
  // In batches of lines, one call each, rather than one loop over the whole text: the engine then compiles
  // the batch function as a whole between calls, instead of replacing a loop while it runs (on-stack
  // replacement), which measured about 2 ms slower at startup for 100,000 lines.
  while (reader.pos <= text.length) readLines(reader, 100);
  return { ranges: reader.ranges, problems: reader.problems, entries: reader.entries };
}

/** Read up to `count` lines. */
function readLines(reader: Reader, count: number): void {
  const { text, ranges, problems } = reader;
  const length = text.length;
  let { pos, line, entries } = reader;
  // One pass over the characters: no call per character, no slice, no object per line. That
  // is what keeps a 100,000-line list fast while the code is still cold at startup.
  for (let n = 0; n < count && pos <= length; n++) {
    line++;
    let start = pos;
    while (start < length && (charClass[text.charCodeAt(start)]! & SPACE) !== 0) start++;

    // The entry almost every list is made of, a dotted quad with an optional prefix, is read right here; it
    // counts only if the entry ends where it does (checked below), and it accepts only what `parseRange`
    // accepts, with the same result (the tests compare the two). Any other entry goes to parseRange's parser.
    let i = start;
    let address = 0;
    let parts = 0;
    let prefix = -1; // -1 until a whole dotted quad (and prefix, if any) is read
    let slash = -1; // the entry's first `/`, where its address ends
    while (parts < 4) {
      if (parts > 0) {
        if (i === length || text.charCodeAt(i) !== 46 /* . */) break;
        i++;
      }
      const first = i;
      let octet = 0;
      while (i < length) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57) break;
        octet = octet * 10 + (c - 48);
        i++;
      }
      const digits = i - first;
      if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(first) === 48)) break;
      address = address * 256 + octet;
      parts++;
    }
    if (parts === 4) {
      prefix = 32;
      if (i < length && text.charCodeAt(i) === 47 /* / */) {
        slash = i;
        const first = ++i;
        prefix = 0;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c < 48 || c > 57) break;
          prefix = prefix * 10 + (c - 48);
          i++;
        }
        if (i === first || i - first > 3 || prefix > 32) prefix = -1;
      }
    }

    // The entry is one word: it ends at white space, a `#` or the end of the line. On the way, note what
    // `parseRange` would look for first: the first `/`, and whether a colon (IPv6) comes before it.
    let end = i;
    let colon = false;
    for (; end < length; end++) {
      const c = text.charCodeAt(end);
      if ((charClass[c]! & WORD_END) !== 0) break;
      if (slash < 0) {
        if (c === 47 /* / */) slash = end;
        else if (c === 58 /* : */) colon = true;
      }
    }
    if (end !== i) prefix = -1; // more after the dotted quad
    // Then white space, and a comment or the end of the line.
    let next = end;
    while (next < length && (charClass[text.charCodeAt(next)]! & SPACE) !== 0) next++;
    if (next < length && text.charCodeAt(next) === 35 /* # */) {
      next = text.indexOf('\n', next);
      if (next < 0) next = length;
    } else if (next < length && text.charCodeAt(next) !== 10 /* \n */) {
      // More words: the entry is the whole line up to a `#`, trimmed (never valid, but reported as written).
      prefix = -1;
      colon = false;
      next = text.indexOf('\n', next);
      if (next < 0) next = length;
      while (end < next && text.charCodeAt(end) !== 35 /* # */) end++; // not indexOf: it could run past the line
      while (end > start && (charClass[text.charCodeAt(end - 1)]! & SPACE) !== 0) end--;
    }
    pos = next + 1;

    if (start === end) continue; // a blank or comment-only line
    entries++;
    if (prefix >= 0) {
      const mask = prefix === 0 ? 0 : -1 << (32 - prefix);
      ranges.addV4(address & mask, address | ~mask);
    } else if (
      !(colon ? ranges.addV6Text(text, start, slash < 0 ? end : slash, end) : ranges.addText(text, start, end))
    ) {
      const entry = text.slice(start, end);
      problems.push({ line, text: entry.length > 60 ? `${entry.slice(0, 57)}...` : entry });
    }
  }
  reader.pos = pos;
  reader.line = line;
  reader.entries = entries;
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

/** "line 3: "x"; line 9: "y"" — at most `max` problems, then a count (of `total`, when only some are at hand). */
export function describeProblems(problems: readonly ListProblem[], max = 10, total = problems.length): string {
  const shown = problems.slice(0, max).map((p) => `line ${p.line}: "${p.text}" is not an IP address or CIDR range`);
  if (total > shown.length) shown.push(`and ${total - shown.length} more`);
  return shown.join('; ');
}

/** What a parsed list held, without its ranges: enough to judge it and to report on it. */
export interface ListSummary {
  /** Lines that held an entry, valid or not. */
  entries: number;
  /** Valid entries. */
  ranges: number;
  /** The first problems (enough to report), and how many there were in all. */
  problems: ListProblem[];
  problemCount: number;
}

export function summarize(parsed: ParsedList, keep = 10): ListSummary {
  return {
    entries: parsed.entries,
    ranges: parsed.ranges.length,
    problems: parsed.problems.slice(0, keep),
    problemCount: parsed.problems.length,
  };
}
