// The string loops and byte helpers that stand in for regular expressions and Node's Buffer methods
// on the start-up path (src/chars.ts, src/bytes.ts) answer exactly as what they replace, for any
// input: each is checked against the original expression or method on arbitrary strings and bytes.

import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isAsciiAt, readAt, readWhole, u32le, utf8 } from '../src/bytes.js';
import { hasAnyOf, hasDigit, isAscii, isDigits } from '../src/chars.js';
import { looksLikeResponse } from '../src/diagnose/detect.js';
import { stem } from '../src/fuzzy.js';

const params = { numRuns: 5_000, seed: 20_261_201 };
/** Strings that often hold digits, ASCII punctuation, white space of every kind and CJK. */
const text = fc.string({ unit: fc.oneof(fc.constantFrom(...'0123456789 \t\u00a0\u3000{}"\'<.[]_-/:aeiouyszEIK'), fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp))), maxLength: 24 });

describe('character tests without regular expressions', () => {
  it('hasDigit, isDigits, isAscii and hasAnyOf agree with the expressions they replace', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(hasDigit(s)).toBe(/\d/.test(s));
        expect(isDigits(s)).toBe(/^\d+$/.test(s));
        expect(isAscii(s)).toBe(!/[^\u0000-\u007f]/.test(s));
        expect(hasAnyOf(s, 'aeiouy')).toBe(/[aeiouy]/.test(s));
      }),
      params,
    );
  });

  // The stemmer as it was written with regular expressions: the loops must not move a single word.
  function regexpStem(word: string): string {
    const irregular: Record<string, string> = { vertices: 'vertex', indices: 'index', indexes: 'index', children: 'child', bound: 'bind', sold: 'sell' };
    if (Object.hasOwn(irregular, word)) return irregular[word]!;
    let w = word;
    if (w.length <= 3 || /\d/.test(w)) return w;
    if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    for (const suffix of ['ing', 'ed']) {
      if (w.endsWith(suffix) && w.length - suffix.length >= 3 && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
        w = w.slice(0, -suffix.length);
        if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
        break;
      }
    }
    if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
    return w;
  }

  it('stems every word as the regular-expression stemmer did', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abdegilnprstuyz0'), minLength: 1, maxLength: 12 });
    const suffixed = fc.tuple(word, fc.constantFrom('', 's', 'es', 'ies', 'sses', 'ing', 'ed', 'nning', 'tting', 'lled', 'ssed', 'ssing', 'zzing', 'us', 'is', 'e')).map(([w, s]) => w + s);
    fc.assert(
      fc.property(fc.oneof(suffixed, text), (w) => {
        expect(stem(w)).toBe(regexpStem(w));
      }),
      params,
    );
  });

  it('tells a pasted response from free text as the expressions alone did', () => {
    const MARKERS = ['{', '}', 'errorcode', 'error_code', 'errormsg', 'error_msg', 'errormessage', 'status code:', 'http status code', 'request_id', 'x-request-id', 'exception'];
    const reference = (t: string) => {
      const lower = t.toLowerCase();
      return MARKERS.some((m) => lower.includes(m)) || /http\/\d/.test(lower) || /\[[A-Za-z_]+_[Ee][Rr][Rr][Oo][Rr]\]/.test(t) || /\b[A-Za-z][A-Za-z0-9]{1,31}\.\d{3,8}\b/.test(t);
    };
    const pieces = fc.constantFrom('HTTP/1.1 400', '[USE_ERROR]', 'GES.7018', 'graph', ' not ', 'ges.70', '.', '[', 'Http/2', 'x_error]');
    const mixed = fc.array(fc.oneof(pieces, text), { maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(mixed, (t) => {
        expect(looksLikeResponse(t)).toBe(reference(t));
      }),
      params,
    );
  });
});

describe('byte helpers without Buffer methods', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ges-err-bytes-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('read text, magics and lengths as Buffer#toString and readUInt32LE do', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(40), fc.nat(44), (bytes, a0, b) => {
        const a = Math.min(a0, bytes.length);
        const buf = Buffer.from(bytes);
        expect(utf8(buf, a, b)).toBe(buf.toString('utf8', a, b));
        expect(utf8(buf)).toBe(buf.toString('utf8'));
        if (a + 4 <= buf.length) expect(u32le(buf, a)).toBe(buf.readUInt32LE(a));
        const magic = buf.toString('latin1', a, b).replace(/[^\x00-\x7f]/g, '');
        expect(isAsciiAt(buf, magic, a)).toBe(buf.toString('latin1', a, a + magic.length) === magic);
      }),
      params,
    );
    expect(isAsciiAt(Buffer.from('GESPACK3...'), 'GESPACK3')).toBe(true);
    expect(isAsciiAt(Buffer.from('GESPACK'), 'GESPACK3')).toBe(false);
  });

  it('reads a whole file, empty or large, and fails on a missing one as readFileSync does', () => {
    for (const size of [0, 1, 65_536, 300_001]) {
      const file = path.join(tmp, `f${size}`);
      const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) & 0xff));
      writeFileSync(file, bytes);
      expect(readWhole(file).equals(bytes)).toBe(true);
    }
    expect(() => readWhole(path.join(tmp, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('reads bytes at a position, and says how many there were before the end of the file', () => {
    const file = path.join(tmp, 'at');
    const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 13) & 0xff));
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    try {
      for (const [pos, len] of [[0, 10], [12_345, 4_000], [99_990, 10], [99_990, 64], [100_000, 8], [5, 0]] as const) {
        const buf = Buffer.alloc(len, 0xee);
        const got = readAt(fd, buf, pos);
        const want = bytes.subarray(pos, pos + len);
        expect(got).toBe(want.length);
        expect(buf.subarray(0, got).equals(want)).toBe(true);
        expect(buf.subarray(got).every((b) => b === 0xee)).toBe(true);
      }
    } finally {
      closeSync(fd);
    }
  });
});
