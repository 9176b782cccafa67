// Scanning a big file on several threads. The file is cut at line starts into ranges; each range is
// scanned by its own Scanner (seeded with the bytes before it, reading past its end only to finish
// the records it found), the first on this thread and the others on helper threads (main.ts makes
// them: worker threads running dist/scan-worker.cjs); the parts are then joined into what one
// Scanner reading the whole file reports.
//
// The join is exact or refused. A part cannot know the state the scan of the whole file would have
// been in at its start, so it records what the join needs to check that state would not have
// changed anything (CodeStats.firstAt, dedupedBy, Sample.end). When it would have (a record
// straddling a cut that holds its code again past the cut, more than MAX_DISTINCT codes), the join
// refuses and the caller scans the file on one thread, as it would have without helpers.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { detectEncoding } from './input.js';
import { FULL_KEY_BYTES, HINT_BYTES, HISTORY, LOOKAHEAD, MAX_DISTINCT, MAX_LINES_KEPT, READS_PER_CODE, Scanner, type CodeStats, type ScanPart } from './scanner.js';

/** Files smaller than this are scanned on one thread: a helper thread takes ~15-40 ms to start. */
export const SPLIT_MIN_BYTES = 16 * 1024 * 1024;
/** The smallest range given to a helper. */
const MIN_RANGE = 8 * 1024 * 1024;
/**
 * Bytes more than an equal share that the first range (scanned here, while the helpers start)
 * gets: about what this thread scans while a helper thread starts.
 */
const HEAD_START = 24 * 1024 * 1024;
/** How far past its target a cut looks for a line start before giving up on that cut. */
const CUT_REACH = 1024 * 1024;
const READ_CHUNK = 128 * 1024;

/** One range of a file to scan. Offsets are file offsets; everything in it survives structured cloning. */
export interface RangeJob {
  path: string;
  /** The range [start, end). start is 0 or a line start; end is a line start or the file's end. */
  start: number;
  end: number;
  /** The file's size when the split was made: the scan reads no further. */
  fileEnd: number;
  /** A UTF-8 byte-order mark at the file's start, not part of the text (offsets in the scan exclude it). */
  bomLength: number;
  /** Scanner prefixes (prefixShapes of the catalog). */
  prefixes: [string, number[]][];
}

/** Scanning ranges on other threads (main.ts gives worker threads; tests may scan in-process). */
export interface RangeHelpers {
  /** How many ranges may be scanned elsewhere at once. */
  count: number;
  scan(job: RangeJob): Promise<ScanPart>;
}

/** Read exactly buf.length bytes at `pos`; a file that got shorter is an error (the split is then abandoned). */
function readExactly(fd: number, buf: Buffer, pos: number): void {
  for (let off = 0; off < buf.length; ) {
    const n = readSync(fd, buf, off, buf.length - off, pos + off);
    if (n <= 0) throw new Error('the file got shorter while it was read');
    off += n;
  }
}

/**
 * Scan one range of a file on this thread. `onChunk` is told the bytes of the range read so far
 * (for progress) and the occurrences counted so far.
 */
export function scanRange(job: RangeJob, onChunk?: (bytes: number, errors: number) => void): ScanPart {
  const scanner = new Scanner({ prefixes: new Map(job.prefixes) });
  const fd = openSync(job.path, 'r');
  try {
    const start = Math.max(job.start, job.bomLength);
    if (start > job.bomLength) {
      const back = Math.min(HISTORY, start - job.bomLength);
      const history = Buffer.allocUnsafe(back);
      readExactly(fd, history, start - back);
      scanner.seed(history, start - job.bomLength);
    }
    const atEnd = job.end >= job.fileEnd;
    // Past its end, a range reads the lookahead its last records may need.
    const stop = atEnd ? job.fileEnd : Math.min(job.fileEnd, job.end + LOOKAHEAD);
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (let pos = start; pos < stop; ) {
      const chunk = buf.subarray(0, Math.min(READ_CHUNK, stop - pos));
      readExactly(fd, chunk, pos);
      scanner.push(chunk);
      pos += chunk.length;
      onChunk?.(Math.min(pos, job.end) - job.start, scanner.errorsSoFar);
    }
    return atEnd ? scanner.finish() : scanner.finishAt(job.end - job.bomLength, stop === job.fileEnd);
  } finally {
    closeSync(fd);
  }
}

/** The size of `path` when it is a regular file big enough to split, else undefined. */
export function splittableSize(path: string): number | undefined {
  // stat, not open: opening a FIFO would block, or (closed again) cut off its writer.
  const st = statSync(path);
  return st.isFile() && st.size >= SPLIT_MIN_BYTES ? st.size : undefined;
}

/**
 * Cut a regular file of `size` bytes into ranges for `helpers` more threads, or return undefined
 * when it should be scanned whole: not UTF-8 (transcoding works on the stream), or no line starts
 * near the cuts. Only the file's head and a little around each cut is read.
 */
export function planSplit(path: string, size: number, helpers: number, prefixes: ReadonlyMap<string, readonly number[]>): RangeJob[] | undefined {
  const ranges = Math.min(helpers + 1, Math.floor(size / MIN_RANGE));
  if (ranges < 2) return undefined;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, 0);
    const { encoding, bomLength } = detectEncoding(head.subarray(0, n));
    if (encoding !== 'utf-8') return undefined;
    const share = (size - HEAD_START) / ranges;
    const cuts: number[] = [];
    const block = Buffer.allocUnsafe(64 * 1024);
    for (let k = 1; k < ranges; k++) {
      const target = Math.floor(HEAD_START + share * k);
      const cut = lineStartAfter(fd, block, target, Math.min(size, target + CUT_REACH));
      // Past the first MiB (where the scan looks for hints and reads every code key) and clear of
      // the previous cut and of the end.
      const floor = cuts.length ? cuts[cuts.length - 1]! + MIN_RANGE / 2 : bomLength + Math.max(FULL_KEY_BYTES, HINT_BYTES) + HISTORY;
      if (cut === undefined || cut < floor || size - cut < MIN_RANGE / 2) continue;
      cuts.push(cut);
    }
    if (cuts.length === 0) return undefined;
    const bounds = [0, ...cuts, size];
    const shapes = [...prefixes].map(([p, lens]): [string, number[]] => [p, [...lens]]);
    return bounds.slice(1).map((end, i) => ({ path, start: bounds[i]!, end, fileEnd: size, bomLength, prefixes: shapes }));
  } finally {
    closeSync(fd);
  }
}

/** The offset just after the first '\n' at or after `from` and before `limit`. */
function lineStartAfter(fd: number, block: Buffer, from: number, limit: number): number | undefined {
  for (let pos = from; pos < limit; ) {
    const n = readSync(fd, block, 0, Math.min(block.length, limit - pos), pos);
    if (n <= 0) return undefined;
    const nl = block.subarray(0, n).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return undefined;
}

/**
 * Join the parts of consecutive ranges of one input into what a Scanner reading the whole input
 * finds, or undefined when that cannot be known from the parts (then scan the input whole).
 */
export function joinRanges(parts: readonly ScanPart[]): ScanPart | undefined {
  if (parts.length === 0) return undefined;
  const codes = new Map<string, CodeStats>();
  let newlines = 0;
  let bytes = 0;
  let sawText = false;
  const hints: ScanPart['hints'] = { koocli: null, http: null };
  for (const [i, part] of parts.entries()) {
    // Every range but the last ends at a line start (so its lines are its newlines); more distinct
    // codes than tracked, or any not tracked, depend on order in a way the parts do not record.
    if (part.overflow > 0 || (i < parts.length - 1 && part.lastByte !== 10)) return undefined;
    const offset = newlines;
    hints.koocli ??= part.hints.koocli && { ...part.hints.koocli, line: part.hints.koocli.line + offset };
    hints.http ??= part.hints.http && { ...part.hints.http, line: part.hints.http.line + offset };
    for (const c of part.codes) {
      const lines = c.lines.map((l) => l + offset);
      const have = codes.get(c.code);
      if (!have) {
        if (codes.size >= MAX_DISTINCT) return undefined;
        codes.set(c.code, { ...c, firstLine: c.firstLine + offset, lastLine: c.lastLine + offset, lines, samples: [...c.samples] });
        continue;
      }
      // The whole scan arrives at this range with `have`: it would not count an occurrence inside
      // the record it read last (which may reach past the cut), ...
      if (c.firstAt < have.recordEnd) return undefined;
      // ... and reads records only until it has READS_PER_CODE of them or a complete one, so of the
      // records this part read, only the first `reads` would be read; a later one must not have
      // kept an occurrence from being counted.
      const done = have.samples.length >= READS_PER_CODE || have.samples.some((x) => x.known === 3);
      const reads = done ? 0 : Math.min(c.samples.length, READS_PER_CODE - have.samples.length);
      if (c.dedupedBy >>> reads !== 0) return undefined;
      have.count += c.count;
      have.lastLine = c.lastLine + offset;
      if (have.lines.length < MAX_LINES_KEPT) have.lines = have.lines.concat(lines).slice(0, MAX_LINES_KEPT);
      if (reads > 0) {
        have.samples = have.samples.concat(c.samples.slice(0, reads));
        have.recordEnd = have.samples[have.samples.length - 1]!.end;
      }
    }
    newlines += part.newlines;
    bytes += part.bytes;
    sawText ||= part.sawText;
  }
  return { codes: [...codes.values()], newlines, bytes, lastByte: parts[parts.length - 1]!.lastByte, sawText, overflow: 0, hints };
}
