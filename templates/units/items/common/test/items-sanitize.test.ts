import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { stripTags } from '../src/items/sanitize.js';

const FULL = (text: string) =>
  sanitizeHtml(text, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' }).trim();

/** Random text from an alphabet with the characters that matter to an HTML parser, and some that do not. */
function randomText(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

describe('C17 HTML sanitising', () => {
  it('the plain-text fast path gives exactly what the full sanitiser gives', () => {
    const plain = 'abc XYZ 09 "\'`=/\\;:!?#%*()[]{}|~^$@+-_.,\n\t\r éü中文😀';
    for (let i = 0; i < 5000; i++) {
      const text = randomText(plain, 1 + Math.floor(Math.random() * 60));
      expect(stripTags(text)).toBe(FULL(text));
    }
  });

  it('text with markup characters still goes through the sanitiser', () => {
    const markup = 'ab <>&"\'=/ script img onerror';
    for (let i = 0; i < 2000; i++) {
      const text = randomText(markup, 1 + Math.floor(Math.random() * 60));
      expect(stripTags(text)).toBe(FULL(text));
    }
    expect(stripTags('<img src=x onerror=alert(1)>hi<script>alert(1)</script>')).toBe('hi');
    expect(stripTags('a & b < c')).toBe('a &amp; b &lt; c');
  });
});
