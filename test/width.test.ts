// charWidth answers common CJK and punctuation without its Unicode-property regular expression (which
// is slow to build); this checks the shortcut against the plain definition for every code point.

import { describe, expect, it } from 'vitest';
import { charWidth, displayWidth, isWideChar } from '../src/render/width.js';

const ZERO = /[\p{Mn}\p{Me}\u200B-\u200D\u2060\uFE00-\uFE0F]/u;
function plain(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (ZERO.test(ch)) return 0;
  return isWideChar(ch) ? 2 : 1;
}

describe('charWidth', () => {
  it('agrees with the plain definition for every code point up to U+3FFFF', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x3ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (charWidth(ch) !== plain(ch)) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });
  it.each([['中', 2], ['。', 2], ['，', 2], ['—', 1], ['…', 1], ['\u0301', 0], ['\u302a', 0], ['\u3099', 0], ['a', 1]])('%s is %i columns', (ch, w) => {
    expect(charWidth(ch)).toBe(w);
  });
});

describe('displayWidth', () => {
  // What displayWidth is: colour sequences dropped, then each code point's width, code points below
  // U+0300 one column (or none, below U+0020); it walks code units itself rather than iterating.
  const byCodePoint = (s: string) => [...s.replace(/\u001b\[[0-9;]*m/g, '')].reduce((w, ch) => w + (ch.length === 1 && ch.charCodeAt(0) < 0x300 ? (ch.charCodeAt(0) < 0x20 ? 0 : 1) : charWidth(ch)), 0);

  it('is the sum of its code points\' widths, for random mixed text', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    // ASCII, C0/C1, Latin, combining marks, CJK and punctuation, full-width forms, surrogate pairs
    // (wide: emoji, U+20000; narrow: U+10400; zero: the combining U+1D167), lone surrogates of both
    // halves, and colour sequences.
    const pieces = ['a', 'Z', ' ', '\t', '\u0007', '\u0085', 'é', '\u0301', '中', '文', '。', '，', '\uff21', '—', '…', '😀', '\ud83d', '\ude00', '\u001b[31m', '\u001b[0m', '\u200b', '\u302a', '𠀀', '\u{10400}', '\u{1d167}'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = rand(12); n > 0; n--) s += pieces[rand(pieces.length)];
      expect(displayWidth(s), JSON.stringify(s)).toBe(byCodePoint(s));
    }
  });

  it.each([['GES.7018', 8], ['图不在运行状态', 14], ['a\u0301', 1], ['😀!', 3], ['\ud83d', 1], ['\u{10400}\u{1d167}', 1], ['\u001b[1m中\u001b[0m', 2]])('%j is %i columns', (s, w) => {
    expect(displayWidth(s)).toBe(w);
  });
});
