// diagnose on several threads (src/diagnose/split.ts): a big file cut at line starts, the ranges
// scanned apart and their parts joined, gives exactly what one scan of the whole file gives, or the
// join refuses and the file is scanned whole. The ranges are scanned in-process here (scanRange),
// which is what a worker thread runs; the last test runs the built CLI with its real worker.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../scripts/gen-log.mjs';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { diagnoseSources, type DiagnoseSource } from '../src/diagnose/index.js';
import { FULL_KEY_BYTES, HISTORY, Scanner, mergeParts, prefixShapes, type ScanPart } from '../src/diagnose/scanner.js';
import { SPLIT_MIN_BYTES, joinRanges, planSplit, scanRange, splittableSize, type RangeHelpers, type RangeJob } from '../src/diagnose/split.js';
import { fixture, spawnCli } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());
const prefixes = prefixShapes(catalog.entries.map((e) => e.code));
const shapes = [...prefixes].map(([p, l]): [string, number[]] => [p, l]);
const dir = mkdtempSync(path.join(tmpdir(), 'ges-err-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function logText(opts: { size?: number; lines?: number; seed: number }): string {
  const chunks: string[] = [];
  generateLog({ ...opts, write: (c: string) => chunks.push(c) });
  return chunks.join('');
}

function scanWhole(bytes: Buffer): ScanPart {
  const s = new Scanner({ prefixes });
  s.push(bytes);
  return s.finish();
}

/** The ranges [0, c1), [c1, c2) ... of a file of `size` bytes. */
function jobsAt(p: string, size: number, cuts: readonly number[], bomLength = 0): RangeJob[] {
  const bounds = [0, ...cuts, size];
  return bounds.slice(1).map((end, i) => ({ path: p, start: bounds[i]!, end, fileEnd: size, bomLength, prefixes: shapes }));
}

/** A part as the report sees it: dedupedBy only serves the join's checks. */
function observable(part: ScanPart) {
  return { ...part, codes: part.codes.map(({ dedupedBy: _, ...c }) => c) };
}

/** Line starts in [from, to). */
function lineStarts(bytes: Buffer, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = bytes.indexOf(10, from - 1); i >= 0 && i + 1 < to; i = bytes.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

// 1.1 MiB of generated log first: a split never cuts in the first MiB (planSplit), where the scan
// looks for hints and reads every code key. Then the responses people paste (multi-line JSON
// bodies, curl -v, SDK prints) between more log, so that cuts fall inside multi-line records.
const head = logText({ size: FULL_KEY_BYTES + HISTORY + 64 * 1024, seed: 5 });
const pasted = readdirSync(fixture('diagnose'))
  .sort()
  .map((n) => readFileSync(fixture(`diagnose/${n}`), 'utf8'));
const body = Array.from({ length: 2 }, (_, k) => pasted.map((t, i) => `${t}\n${logText({ lines: 20 + ((i * 7 + k) % 13), seed: 100 + i + k })}`).join('')).join('');
const mixed = Buffer.from(head + body);
const mixedPath = file('mixed.log', mixed);
const mixedWhole = observable(scanWhole(mixed));

describe('joining the parts of a split file', () => {
  it('gives what the whole scan gives at every line start of a region of multi-line records, or refuses', () => {
    const cuts = lineStarts(mixed, head.length, mixed.length);
    expect(cuts.length).toBeGreaterThan(1000);
    let joined = 0;
    for (const cut of cuts) {
      const parts = jobsAt(mixedPath, mixed.length, [cut]).map((j) => scanRange(j));
      const j = joinRanges(parts);
      if (!j) continue;
      joined++;
      expect(observable(j), `cut at ${cut}`).toEqual(mixedWhole);
    }
    // Refusals are for records cut with their code on both sides: a small share of line starts.
    expect(joined).toBeGreaterThan(cuts.length * 0.8);
  });

  it('joins three and more ranges', () => {
    const cuts = lineStarts(mixed, head.length, mixed.length);
    for (let k = 0; k + 40 < cuts.length; k += 97) {
      const at = [cuts[k]!, cuts[k + 17]!, cuts[k + 40]!];
      const j = joinRanges(jobsAt(mixedPath, mixed.length, at).map((job) => scanRange(job)));
      if (j) expect(observable(j), `cuts at ${at.join(', ')}`).toEqual(mixedWhole);
    }
  });

  it('refuses a cut inside a record that holds its code on both sides (the whole scan counts it once)', () => {
    const record = ['{', '  "error_code": "GES.7015",', '  "error_msg": "Failed to query the graph: GES.7015",', '  "note": "see GES.7015"', '}', ''].join('\n');
    const bytes = Buffer.from(head + record + logText({ lines: 50, seed: 9 }));
    const p = file('straddle.log', bytes);
    const cut = head.length + record.indexOf('  "error_msg"');
    const parts = jobsAt(p, bytes.length, [cut]).map((j) => scanRange(j));
    const whole = scanWhole(bytes);
    // Joined without the check, the count would differ (the whole scan reads the record once and
    // counts it once; the second range counts its part of it again): the check keeps the join exact.
    const count = (p: { codes: { code: string; count: number }[] }) => p.codes.find((c) => c.code === 'GES.7015')!.count;
    expect(count(whole)).toBe(1);
    expect(count(mergeParts(parts))).toBe(2);
    expect(joinRanges(parts)).toBeUndefined();
  });

  it('refuses when a later range read a record the whole scan would not have (it had read enough)', () => {
    // Nine complete one-line responses: the whole scan has its records for GES.7015 and reads no
    // more, so the repeated code in the multi-line record after the cut is counted twice.
    const line = '{"error_code":"GES.7015","error_msg":"x"} HTTP 400 X-Request-Id: 0123456789abcdef0123456789abcdef\n';
    const record = ['{', '  "error_code": "GES.7015",', '  "error_msg": "again: GES.7015"', '}', ''].join('\n');
    const pre = head + line.repeat(9);
    const bytes = Buffer.from(pre + record);
    const p = file('saturated.log', bytes);
    const parts = jobsAt(p, bytes.length, [pre.length]).map((j) => scanRange(j));
    const whole = scanWhole(bytes).codes.find((c) => c.code === 'GES.7015')!;
    expect(mergeParts(parts).codes.find((c) => c.code === 'GES.7015')!.count).toBe(whole.count - 1);
    expect(joinRanges(parts)).toBeUndefined();
  });

  it('refuses more distinct codes than the scan tracks', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5003; i++) lines.push(`{"code":"ZZ${i}.0001"}`);
    const bytes = Buffer.from(head + lines.join('\n') + '\n');
    const p = file('distinct.log', bytes);
    const cut = bytes.indexOf('{"code":"ZZ2600.0001"}');
    expect(joinRanges(jobsAt(p, bytes.length, [cut]).map((j) => scanRange(j)))).toBeUndefined();
  });

  it('counts offsets after a UTF-8 byte-order mark as the stream scan does', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), mixed]);
    const p = file('bom.log', bytes);
    const whole = observable(scanWhole(mixed));
    const cut = 3 + lineStarts(mixed, head.length + 5000, mixed.length)[0]!;
    const j = joinRanges(jobsAt(p, bytes.length, [cut], 3).map((job) => scanRange(job)));
    expect(j && observable(j)).toEqual(whole);
  });
});

describe('planning a split', () => {
  const big = Buffer.from(logText({ size: SPLIT_MIN_BYTES + 2 * 1024 * 1024, seed: 21 }));
  const bigPath = file('big.log', big);

  it('cuts a big UTF-8 file at line starts past the first MiB, into contiguous ranges', () => {
    expect(splittableSize(bigPath)).toBe(big.length);
    for (const helpers of [1, 3]) {
      const jobs = planSplit(bigPath, big.length, helpers, prefixes)!;
      expect(jobs).toHaveLength(Math.min(helpers + 1, Math.floor(big.length / (8 * 1024 * 1024))));
      expect(jobs[0]!.start).toBe(0);
      expect(jobs[jobs.length - 1]!.end).toBe(big.length);
      for (let i = 1; i < jobs.length; i++) {
        expect(jobs[i]!.start).toBe(jobs[i - 1]!.end);
        expect(big[jobs[i]!.start - 1]).toBe(10);
      }
      expect(jobs[1]!.start).toBeGreaterThan(FULL_KEY_BYTES + HISTORY);
    }
  });

  it('leaves small files, directories, no helpers and UTF-16 alone', () => {
    expect(splittableSize(mixedPath)).toBeUndefined();
    expect(splittableSize(dir)).toBeUndefined();
    expect(planSplit(bigPath, big.length, 0, prefixes)).toBeUndefined();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(big.subarray(0, SPLIT_MIN_BYTES / 2).toString('latin1'), 'utf16le')]);
    expect(planSplit(file('utf16.log', utf16), utf16.length, 1, prefixes)).toBeUndefined();
  });

  it('diagnoses a big file the same with helpers as without, and falls back when a helper fails', async () => {
    const source: DiagnoseSource = { name: bigPath, path: bigPath, open: async function* () { yield readFileSync(bigPath); } };
    const plain = await diagnoseSources(catalog, [source]);
    const splits: [number, boolean][] = [];
    const inProcess: RangeHelpers = { count: 2, scan: async (job) => scanRange(job) };
    const helped = await diagnoseSources(catalog, [source], { helpers: async () => inProcess, onSplit: (_, n, joined) => splits.push([n, joined]) });
    expect(splits).toEqual([[2, true]]);
    expect(helped).toEqual(plain);
    const failing: RangeHelpers = { count: 1, scan: async () => Promise.reject(new Error('no thread')) };
    const fallback = await diagnoseSources(catalog, [source], { helpers: async () => failing, onSplit: (_, n, joined) => splits.push([n, joined]) });
    expect(splits[1]).toEqual([2, false]);
    expect(fallback).toEqual(plain);
  });

  it('runs the range on a worker thread in the built CLI, with the output of a piped run', () => {
    const split = spawnCli(['diagnose', bigPath, '--json'], { env: { GES_ERR_DEBUG_SPLIT: '1' } });
    const piped = spawnCli(['diagnose', '--json'], { input: big });
    expect(split.status).toBe(0);
    const ranges = Math.min(availableParallelism(), 8, 2);
    if (ranges > 1) expect(split.stderr).toContain(`scanned in ${ranges} ranges\n`);
    expect(split.stdout.replaceAll(JSON.stringify(bigPath), '"-"')).toBe(piped.stdout);
  });
});
