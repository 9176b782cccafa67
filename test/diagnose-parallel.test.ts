// Splitting a big file across threads must find exactly what one pass finds: same counts, lines,
// observed records and totals, whatever the number of ranges and wherever they are cut.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLog } from '../scripts/gen-log.mjs';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { diagnoseSources, type DiagnoseSource } from '../src/diagnose/index.js';
import { planRanges, scanRange, type FileAccess, type ParallelFiles } from '../src/diagnose/parallel.js';
import type { DiagnoseReport } from '../src/diagnose/report.js';
import { readFixture, spawnCli } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());
const dir = mkdtempSync(path.join(tmpdir(), 'ges-err-par-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: FileAccess = {
  size: (p) => {
    const st = statSync(p);
    return st.isFile() ? st.size : undefined;
  },
  *readRange(p, start, end) {
    const fd = openSync(p, 'r');
    const buf = Buffer.alloc(4096);
    try {
      for (let pos = start; pos < end; ) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
        if (n <= 0) return;
        pos += n;
        yield buf.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  },
};

function par(threads: number, worker: ParallelFiles['scanInWorker'] = async (job) => scanRange(job, files)): ParallelFiles {
  return { ...files, threads, minBytes: 1, scanInWorker: worker };
}

function source(p: string): DiagnoseSource {
  return {
    name: path.basename(p),
    path: p,
    open: async function* () {
      yield* files.readRange(p, 0, files.size(p)!);
    },
  };
}

function findings(r: DiagnoseReport) {
  return { rows: r.rows, summary: r.summary, hints: r.hints, empty: r.empty };
}

function write(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const chunks: string[] = [];
generateLog({ lines: 30000, seed: 5, write: (c) => chunks.push(c) });
const MIXED = readFixture('diagnose/mixed-app.log') + readFixture('diagnose/java-sdk.txt') + readFixture('diagnose/curl-i-crlf.txt');
const LOG = write('gen.log', MIXED + chunks.join('') + MIXED);

describe('split scanning', () => {
  it.each([2, 3, 4, 7])('finds the same as one pass with %i ranges', async (threads) => {
    const one = await diagnoseSources(catalog, [source(LOG)]);
    const split = await diagnoseSources(catalog, [source(LOG)], {}, par(threads));
    expect(planRanges(files, LOG, files.size(LOG)!, threads)).toHaveLength(threads);
    expect(findings(split.report)).toEqual(findings(one.report));
  });

  it('cuts only at line starts, and not inside a line too long to find its end', () => {
    const p = write('long-line.log', 'a\n' + 'x'.repeat(3 << 20) + '\nb\n');
    const ranges = planRanges(files, p, files.size(p)!, 4);
    for (const r of ranges.slice(1)) {
      const b = Buffer.alloc(1);
      const fd = openSync(p, 'r');
      readSync(fd, b, 0, 1, r.start - 1);
      closeSync(fd);
      expect(b[0]).toBe(10);
    }
    expect(ranges.length).toBeLessThan(4);
  });

  it('scans a range here when its worker fails', async () => {
    const one = await diagnoseSources(catalog, [source(LOG)]);
    const split = await diagnoseSources(catalog, [source(LOG)], {}, par(3, () => Promise.reject(new Error('no threads'))));
    expect(findings(split.report)).toEqual(findings(one.report));
  });

  it('numbers lines across several split files like one pass does', async () => {
    const other = write('other.log', 'no newline at the end {"errorCode":"GES.7000"}');
    const one = await diagnoseSources(catalog, [source(other), source(LOG), source(other)]);
    const split = await diagnoseSources(catalog, [source(other), source(LOG), source(other)], {}, par(3));
    expect(findings(split.report)).toEqual(findings(one.report));
    expect(split.report.summary.inputs.map((i) => i.name)).toEqual(['other.log', 'gen.log', 'other.log']);
  });

  it('does not split a UTF-16 file (it is decoded in one pass)', async () => {
    const p = write('utf16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MIXED, 'utf16le')]));
    let workers = 0;
    const split = await diagnoseSources(catalog, [source(p)], {}, par(2, async (job) => (workers++, scanRange(job, files))));
    expect(workers).toBe(0);
    expect(split.report.rows.map((r) => r.code)).toContain('GES.7001');
  });
});

describe('worker threads of the built executable', () => {
  it('give the same --json as one pass', () => {
    const p = write('spawn.log', MIXED + chunks.slice(0, 3).join('') + MIXED);
    const one = spawnCli(['diagnose', '--json', p], { env: { GES_ERR_SPLIT_MIN_BYTES: '1000000000' } });
    // GES_ERR_DEBUG makes a failed worker say so on stderr (the range would be scanned here instead).
    const split = spawnCli(['diagnose', '--json', p], { env: { GES_ERR_SPLIT_MIN_BYTES: '1000', GES_ERR_DEBUG: '1' } });
    expect(split.status).toBe(0);
    expect(split.stderr).toBe(one.stderr);
    expect(split.stdout).toBe(one.stdout);
    expect(JSON.parse(split.stdout).summary.lines).toBeGreaterThan(1000);
  });
});
