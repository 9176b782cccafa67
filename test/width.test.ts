// charWidth answers common CJK and punctuation without its Unicode-property regular expression (which
// is slow to build); this checks the shortcut against the plain definition for every code point.

import { describe, expect, it } from 'vitest';
import { charWidth, isWideChar } from '../src/render/width.js';

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
