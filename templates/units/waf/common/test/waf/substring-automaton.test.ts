/** W2: the hand-written Aho–Corasick matcher, against a naive `includes` oracle. */
import { describe, expect, it } from 'vitest';
import { SubstringAutomaton } from '../../src/waf/substring-automaton.js';

function naive(patterns: string[], text: string): boolean {
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return patterns.some((p) => p.length > 0 && lower.includes(p.toLowerCase()));
}

describe('W2 substring automaton', () => {
  it('finds overlapping patterns and patterns that are suffixes of partial matches', () => {
    const a = new SubstringAutomaton(['he', 'she', 'his', 'hers', 'nmap scripting engine']);
    expect(a.test('ushers')).toBe(true);
    expect(a.test('xhixs')).toBe(false);
    expect(a.test('xhis')).toBe(true);
    expect(a.test('a Nmap Scripting Engine b')).toBe(true);
    expect(a.test('nmap scripting engin')).toBe(false);
    expect(a.test('')).toBe(false);
    // `sqlmap` is found after a false start on `sqlm`.
    const b = new SubstringAutomaton(['sqlmap', 'qlmx']);
    expect(b.test('sqlmsqlmap')).toBe(true);
    expect(b.test('sqlqlmx')).toBe(true);
  });

  it('is case-insensitive for ASCII and treats other characters as separators', () => {
    const a = new SubstringAutomaton(['SQLMap', 'dirb']);
    expect(a.test('SQLMAP/1.0')).toBe(true);
    expect(a.test('sqlmap')).toBe(true);
    expect(a.test('dir\u00e9b')).toBe(false);
    expect(a.test('\u00e9dirb\u00e9')).toBe(true);
    expect(() => new SubstringAutomaton(['caf\u00e9'])).toThrow(/ASCII/);
  });

  it('matches nothing without patterns', () => {
    expect(new SubstringAutomaton([]).test('anything')).toBe(false);
    expect(new SubstringAutomaton(['']).test('anything')).toBe(false);
  });

  it('agrees with includes() on 20,000 random texts', () => {
    let s = 99;
    const rand = () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 0x100000000;
    };
    const alphabet = 'abcAB/ ';
    const word = (max: number) =>
      Array.from({ length: 1 + ((rand() * max) | 0) }, () => alphabet[(rand() * alphabet.length) | 0]).join('');
    for (let round = 0; round < 200; round++) {
      const patterns = Array.from({ length: 1 + ((rand() * 8) | 0) }, () => word(5));
      const a = new SubstringAutomaton(patterns);
      for (let i = 0; i < 100; i++) {
        const text = word(40);
        expect(a.test(text), `${JSON.stringify(patterns)} in ${JSON.stringify(text)}`).toBe(naive(patterns, text));
      }
    }
  });
});
