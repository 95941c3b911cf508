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
    // 1. A trie of the (lowercased) patterns, as rows of ALPHABET entries in one flat, growing array (-1: no
    //    edge) rather than an array per node: building the built-in list at boot then leaves no garbage behind.
    let table = new Int32Array(16 * ALPHABET).fill(-1);
    let out = new Uint8Array(16);
    let n = 1;
    for (const pattern of patterns) {
      if (pattern.length === 0) continue;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = fold(pattern.charCodeAt(i));
        if (c >= ALPHABET) throw new Error('SubstringAutomaton patterns must be ASCII');
        let to = table[state * ALPHABET + c]!;
        if (to < 0) {
          if (n === out.length) {
            const grown = new Int32Array(table.length * 2).fill(-1);
            grown.set(table);
            table = grown;
            const grownOut = new Uint8Array(out.length * 2);
            grownOut.set(out);
            out = grownOut;
          }
          to = n++;
          table[state * ALPHABET + c] = to;
        }
        state = to;
      }
      out[state] = 1;
    }
    // 2. Breadth-first, in place: failure links folded into a complete transition function (a DFA). A state's
    //    failure target is shallower, so its row is already complete when the state is reached.
    const next = table.slice(0, n * ALPHABET);
    const accept = out.slice(0, n);
    const fail = new Int32Array(n);
    const queue = new Int32Array(n);
    let tail = 0;
    for (let c = 0; c < ALPHABET; c++) {
      const to = next[c]!;
      if (to < 0) next[c] = 0;
      else queue[tail++] = to; // fail[to] = 0, the root
    }
    for (let head = 0; head < tail; head++) {
      const state = queue[head]!;
      const row = state * ALPHABET;
      const failRow = fail[state]! * ALPHABET;
      // A state accepts if any suffix of it is a pattern (reached through failure links).
      if (accept[fail[state]!] === 1) accept[state] = 1;
      for (let c = 0; c < ALPHABET; c++) {
        const to = next[row + c]!;
        if (to < 0) next[row + c] = next[failRow + c]!;
        else {
          fail[to] = next[failRow + c]!;
          queue[tail++] = to;
        }
      }
    }
    this.next = next;
    this.accept = accept;
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
