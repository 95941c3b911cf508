/**
 * Case-insensitive multi-substring search (W2) as an Aho–Corasick automaton over ASCII, compiled to a dense
 * transition table: one table read per character of the header, whatever the number of patterns, no
 * backtracking and no allocation (no lowercased copy of the header). Patterns must be ASCII; the caller keeps
 * any non-ASCII pattern aside.
 */
const ALPHABET = 128;

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export class SubstringAutomaton {
  private readonly next: Int32Array;
  private readonly accept: Uint8Array;

  constructor(patterns: Iterable<string>) {
    // 1. A trie of the (lowercased) patterns.
    const trie: number[][] = [new Array<number>(ALPHABET).fill(-1)];
    const out: boolean[] = [false];
    for (const pattern of patterns) {
      if (pattern.length === 0) continue;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = fold(pattern.charCodeAt(i));
        if (c >= ALPHABET) throw new Error('SubstringAutomaton patterns must be ASCII');
        let to = trie[state]![c]!;
        if (to < 0) {
          to = trie.length;
          trie.push(new Array<number>(ALPHABET).fill(-1));
          out.push(false);
          trie[state]![c] = to;
        }
        state = to;
      }
      out[state] = true;
    }
    // 2. Breadth-first: failure links folded into a complete transition function (a DFA).
    const n = trie.length;
    const next = new Int32Array(n * ALPHABET);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const to = trie[0]![c]!;
      if (to < 0) next[c] = 0;
      else {
        next[c] = to;
        fail[to] = 0;
        queue.push(to);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      // A state accepts if any suffix of it is a pattern (reached through failure links).
      if (out[fail[state]!]) out[state] = true;
      for (let c = 0; c < ALPHABET; c++) {
        const to = trie[state]![c]!;
        if (to < 0) next[state * ALPHABET + c] = next[fail[state]! * ALPHABET + c]!;
        else {
          next[state * ALPHABET + c] = to;
          fail[to] = next[fail[state]! * ALPHABET + c]!;
          queue.push(to);
        }
      }
    }
    this.next = next;
    this.accept = Uint8Array.from(out, (b) => (b ? 1 : 0));
  }

  get states(): number {
    return this.accept.length;
  }

  /** True when any pattern occurs in `text`, ignoring ASCII case. Non-ASCII characters match nothing. */
  test(text: string): boolean {
    const next = this.next;
    const accept = this.accept;
    if (accept.length === 1) return false;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      if (c >= 65 && c <= 90) c += 32;
      state = next[state * ALPHABET + c]!;
      if (accept[state] === 1) return true;
    }
    return false;
  }
}
