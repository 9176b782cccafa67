// The WebAssembly literal finder (src/diagnose/finder.wat) and the scanner that uses it past the
// first MiB of an input: the committed module is the assembled text; it finds exactly what a plain
// byte-by-byte search finds; the scanner reports the same with it as with its indexOf searches, and
// works, finding the same, where WebAssembly is missing.

import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { finderModuleSource } from '../scripts/build-wasm.mjs';
import { createFinder, finderTakes, MAX_FINDER_NEEDLES } from '../src/diagnose/finder.js';
import { Scanner, type ScanPart } from '../src/diagnose/scanner.js';
import { BIN, ROOT } from './helpers.js';
import path from 'node:path';

const RUNS = Number(process.env.GES_ERR_FUZZ_RUNS) || 10_000;
// As in property.test.ts: a fixed seed in `npm test`, a new one in `npm run fuzz` (which runs this
// file too, with GES_ERR_FUZZ_RUNS cases: half of them for the finder, a fiftieth for the scanner).
const SEED = process.env.GES_ERR_FUZZ_SEED ? Number(process.env.GES_ERR_FUZZ_SEED) : process.env.GES_ERR_FUZZ_RUNS ? undefined : 20_261_201;
const params = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });
/** Time for `runs` cases at up to `ms` each (on a loaded machine), for `npm run fuzz` too. */
const timeFor = (runs: number, ms: number) => Math.max(20_000, runs * ms);

const BUNDLED_PREFIXES = new Map([
  ['GES', [4]],
  ['APIGW', [4]],
]);

describe('the module', () => {
  it('src/diagnose/finder-wasm.ts is src/diagnose/finder.wat assembled (npm run build:wasm)', async () => {
    const wat = readFileSync(path.join(ROOT, 'src/diagnose/finder.wat'), 'utf8');
    expect(readFileSync(path.join(ROOT, 'src/diagnose/finder-wasm.ts'), 'utf8')).toBe(await finderModuleSource(wat));
  });

  it('takes 2-16 one-byte characters per needle and at most 16 needles', () => {
    expect(finderTakes(['GES.', '_code'])).toBe(true);
    expect(finderTakes(['G'])).toBe(false);
    expect(finderTakes(['x'.repeat(17)])).toBe(false);
    expect(finderTakes(['图图'])).toBe(false);
    expect(finderTakes(Array.from({ length: MAX_FINDER_NEEDLES + 1 }, (_, i) => `N${i}.`))).toBe(false);
    const f = createFinder(1024)!;
    expect(() => f.setNeedles(['G'])).toThrow(RangeError);
    expect(() => f.find(10, 5, 20)).toThrow(RangeError);
    expect(() => f.find(0, f.maxRange + 1, f.maxRange + 1)).toThrow(RangeError);
  });
});

/** The finder's contract, one position at a time: the first needle there whole (within limit), and the newlines before it. */
function plainFind(data: Uint8Array, needles: readonly string[], start: number, end: number, limit: number) {
  const hits: [number, number, number][] = [];
  let newlines = 0;
  for (let p = start; p < end; p++) {
    for (let k = 0; k < needles.length; k++) {
      const n = needles[k]!;
      if (p + n.length > limit) continue;
      let same = true;
      for (let i = 0; i < n.length && same; i++) same = data[p + i] === n.charCodeAt(i);
      if (same) {
        hits.push([p, k, newlines]);
        break;
      }
    }
    if (data[p] === 10) newlines++;
  }
  return { hits, newlines };
}

describe('finding', () => {
  // Needles drawn from a small alphabet, so that they share first bytes, buckets (more than 8
  // needles) and first pairs; data rich in their characters, newlines and bytes above 0x7f.
  const ALPHABET = ['G', 'E', 'S', '.', 'A', 'P', '"', 'c', 'o', 'd', 'e', '_', '\n', '\u0080', '\u00ff', 'x'];
  const needle = fc.array(fc.constantFrom(...ALPHABET.filter((c) => c !== '\n')), { minLength: 2, maxLength: 16 }).map((a) => a.join(''));
  const needleSet = fc.uniqueArray(needle, { minLength: 1, maxLength: MAX_FINDER_NEEDLES, selector: (n) => n });
  const data = fc.array(fc.oneof(fc.constantFrom(...ALPHABET), needle), { maxLength: 300 }).map((a) => Buffer.from(a.join(''), 'latin1'));

  it('finds every needle a plain search finds, at the same places, with the same newline counts', () => {
    const f = createFinder(1 << 16)!;
    expect(f).toBeDefined();
    fc.assert(
      fc.property(needleSet, data, fc.nat(), fc.nat(), fc.nat(), (needles, bytes, s0, e0, l0) => {
        // A needle that is a prefix of another at the same place: the finder takes the first in order (as the scanner's are never).
        const start = bytes.length ? s0 % bytes.length : 0;
        const end = start + (bytes.length - start ? e0 % (bytes.length - start + 1) : 0);
        const limit = end + (bytes.length - end ? l0 % (bytes.length - end + 1) : 0);
        // Junk around the data: the finder must not read a match past limit or report one outside the range.
        f.data.fill(0x47, 0, bytes.length + 64);
        bytes.copy(f.data, 0);
        f.setNeedles(needles);
        const n = f.find(start, end, limit);
        const got: [number, number, number][] = [];
        for (let h = 0; h < n; h++) got.push([f.hitPosition(h), f.hitNeedle(h), f.hitNewlines(h)]);
        const want = plainFind(f.data, needles, start, end, limit);
        expect(got).toEqual(want.hits);
        expect(f.newlines).toBe(want.newlines);
      }),
      params(Math.ceil(RUNS / 2)),
    );
  }, timeFor(Math.ceil(RUNS / 2), 2));

  it('reads no byte past its memory for a range that ends at the end of its data, whatever its alignment', () => {
    const f = createFinder(1024)!;
    f.setNeedles(['GES.', 'x.']);
    const len = f.data.length;
    f.data.fill(0x47, len - 64);
    for (let back = 1; back <= 40; back++) expect(() => f.find(len - back, len, len), `last ${back} bytes`).not.toThrow();
  });

  it('counts the newlines and finds the needles of a whole ring of log lines', () => {
    const f = createFinder(1 << 19)!;
    const needles = ['GES.', 'APIG', '"code', "'code", '_code', 'Code'];
    f.setNeedles(needles);
    const line = (i: number) => `2026-11-28T00:00:${String(i % 60).padStart(2, '0')}Z ${i % 7 ? 'INFO GET ok' : `ERROR {"error_code":"GES.70${i % 90}","errorCode":"APIGW.0101"}`}\n`;
    let text = '';
    for (let i = 0; text.length < (1 << 19) - 100; i++) text += line(i);
    const bytes = Buffer.from(text, 'latin1');
    bytes.copy(f.data, 0);
    for (const [start, end] of [
      [0, 32768],
      [17, 40000],
      [100_000, 140_960],
      [bytes.length - 30_000, bytes.length],
    ] as const) {
      const n = f.find(start, end, bytes.length);
      const want = plainFind(bytes, needles, start, end, bytes.length);
      expect(n).toBe(want.hits.length);
      expect(n).toBeGreaterThan(100);
      expect(f.newlines).toBe(want.newlines);
      expect([f.hitPosition(n - 1), f.hitNeedle(n - 1), f.hitNewlines(n - 1)]).toEqual(want.hits[n - 1]);
    }
  });
});

// ---- the scanner with and without the finder ------------------------------------------------------

function scan(chunks: readonly Uint8Array[], finder: boolean, prefixes = BUNDLED_PREFIXES): { part: ScanPart; usedFinder: boolean } {
  const s = new Scanner({ prefixes, finder });
  for (const c of chunks) s.push(c);
  const part = s.finish();
  return { part, usedFinder: s.usedFinder };
}

/** Past FULL_KEY_BYTES (1 MiB), where the finder takes over. */
const FILLER = Buffer.from('INFO [pool] routine line with nothing of interest; GET /v1 200 in 12 ms\n'.repeat(16_000), 'latin1');

const FRAGMENTS = [
  'GES.7018', 'GES.70181', 'xGES.7018', 'APIGW.0101', 'APIG.0101', 'AAPIGW.0102', 'ges.7013', 'VPC.0201', 'ECS.0001', 'IAM.12',
  '{"errorCode":"', '"error_code":', "'code': '", 'error_code:', 'errorCode=', '"code":"', 'Code: ', 'ErrorCode=', 'status_code:', '_code',
  '"errorMessage":"Graph not found","', 'X-Request-Id: 0123456789abcdef0123456789abcdef', 'HTTP/1.1 400 Bad Request\r\n', '"}', '{', '}',
  '"', "'", ':', '=', ' ', '\t', '\\"', '\n', '\n', '\r\n', '.', '_', 'C', 'G', 'A', '图', '\u00ff', '\u0000',
];
// Fragments, arbitrary text, and arbitrary bytes (binary junk in a log), as latin1 so bytes stay bytes.
const tail = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...FRAGMENTS).map((f) => Buffer.from(f, 'utf8').toString('latin1')), weight: 6 },
      { arbitrary: fc.string({ maxLength: 30 }).map((f) => Buffer.from(f, 'utf8').toString('latin1')), weight: 1 },
      { arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('latin1')), weight: 1 },
    ),
    { maxLength: 400 },
  )
  .map((a) => a.join(''));

describe('the scanner with the finder', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports what its indexOf searches report, however the input is cut, and uses the finder past the first MiB', () => {
    fc.assert(
      fc.property(fc.nat({ max: 70_000 }), fc.array(tail, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 9 }), (skew, tails, chunkKb, reps) => {
        // The filler shifted by up to two pieces, so that codes and keys fall across piece and ring boundaries.
        const body = Buffer.from(tails.join('\n').repeat(reps), 'latin1');
        const input = Buffer.concat([FILLER.subarray(0, FILLER.length - skew), body]);
        const chunks: Buffer[] = [];
        for (let i = 0; i < input.length; i += chunkKb * 1024) chunks.push(input.subarray(i, i + chunkKb * 1024));
        const fast = scan(chunks, true);
        const plain = scan([input], false);
        expect(plain.usedFinder).toBe(false);
        expect(fast.usedFinder).toBe(true);
        expect(fast.part).toEqual(plain.part);
      }),
      params(Math.ceil(RUNS / 50)),
    );
  }, timeFor(Math.ceil(RUNS / 50), 60));

  // 8 more prefixes: one indexOf pass each without the finder; 30 more: one regular expression.
  it.each([8, 30])('finds the same codes in a log of %i more prefixes (a user catalog) as without it', (more) => {
    const families = ['ORD', 'PAY', 'INV', 'TEN', 'GRF', 'OBJ', 'TOK', 'QTA', ...Array.from({ length: more - 8 }, (_, i) => `X${String.fromCharCode(65 + (i % 26))}${i}`)];
    const prefixes = new Map([...BUNDLED_PREFIXES, ...families.map((p) => [p, [5]] as [string, number[]])]);
    const lines = ['ORD.10001 failed', '{"error_code":"PAY.10002"}', 'QTA.100033 is no code', 'errorCode=tok.10004', 'GES.7018 again'];
    const input = Buffer.concat([FILLER, Buffer.from(`${lines.join('\n')}\n`.repeat(3000))]);
    const fast = scan([input], true, prefixes);
    expect(fast.usedFinder).toBe(true);
    expect(fast.part).toEqual(scan([input], false, prefixes).part);
    expect(fast.part.codes.map((c) => [c.code, c.count]).sort()).toEqual([
      ['GES.7018', 3000],
      ['ORD.10001', 3000],
      ['PAY.10002', 3000],
      ['TOK.10004', 3000],
    ]);
  });

  it('finds the same without WebAssembly (as under node --jitless)', () => {
    const input = Buffer.concat([FILLER, Buffer.from('{"error_code":"VPC.0201"} GES.7018 APIGW.0101\n'.repeat(5000))]);
    const withFinder = scan([input], true);
    expect(withFinder.usedFinder).toBe(true);
    vi.stubGlobal('WebAssembly', undefined);
    expect(createFinder(1024)).toBeUndefined();
    const without = scan([input], true);
    expect(without.usedFinder).toBe(false);
    expect(without.part).toEqual(withFinder.part);
    expect(without.part.codes.map((c) => [c.code, c.count])).toEqual([
      ['VPC.0201', 5000],
      ['GES.7018', 5000],
      ['APIGW.0101', 5000],
    ]);
  });
});

describe('the built CLI', () => {
  it('diagnoses a log the same under node --jitless, where there is no WebAssembly', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ges-err-finder-'));
    try {
      const log = path.join(dir, 'app.log');
      writeFileSync(log, Buffer.concat([FILLER, Buffer.from('ERROR {"error_code":"GES.7018","error_msg":"x"} {"code":"VPC.0201"}\n'.repeat(2000))]));
      const run = (flags: string[]) => spawnSync(process.execPath, [...flags, BIN, 'diagnose', log, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const fast = run([]);
      const slow = run(['--jitless']);
      expect(fast.status).toBe(0);
      expect(slow.status).toBe(0);
      expect(slow.stdout).toBe(fast.stdout);
      const out = JSON.parse(fast.stdout) as { results: { code: string; count: number }[]; notFound: { code: string; count: number }[] };
      expect([...out.results, ...out.notFound].map((r) => [r.code, r.count])).toEqual([
        ['GES.7018', 2000],
        ['VPC.0201', 2000],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
