// Splits a big regular file into ranges scanned by several threads at once (this one and workers),
// then joins what they found. Ranges start right after a newline, and each reads a little of its
// neighbours (history before, lookahead after), so a record at a boundary is read whole and the
// joined result matches a single pass.

import { HISTORY, LOOKAHEAD, Scanner, type ScanPart } from './scanner.js';

/** Positioned reads of regular files. Chunks may be reused once the next one is requested. */
export interface FileAccess {
  /** Size of a regular file; undefined for anything else (a pipe, a device, a directory). */
  size(path: string): number | undefined;
  readRange(path: string, start: number, end: number): Iterable<Uint8Array>;
}

/** What a thread is asked to scan. Plain data: it crosses to a worker thread. */
export interface RangeJob {
  path: string;
  start: number;
  end: number;
  size: number;
  prefixes: [string, number[]][];
}

/** How the CLI lets diagnose use more threads (absent in the library: one thread). */
export interface ParallelFiles extends FileAccess {
  /** Threads to use in all, this one included. */
  threads: number;
  /** Files smaller than this are read in one pass: starting a worker costs more than it saves. */
  minBytes: number;
  scanInWorker(job: RangeJob): Promise<ScanPart>;
  /** Told when a worker failed (its range was then scanned in this thread). */
  onWorkerError?(error: unknown): void;
}

const MAX_SEEK_FOR_NEWLINE = 1 << 20;

function readAll(files: FileAccess, path: string, start: number, end: number): Buffer {
  const parts: Buffer[] = [];
  for (const c of files.readRange(path, start, end)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** Scan one range of a file, reading its neighbours' edges for context. */
export function scanRange(job: RangeJob, files: FileAccess, onChunk?: (scanner: Scanner) => void): ScanPart {
  const scanner = new Scanner({ prefixes: new Map(job.prefixes) });
  if (job.start > 0) scanner.seedHistory(readAll(files, job.path, Math.max(0, job.start - HISTORY), job.start));
  for (const chunk of files.readRange(job.path, job.start, job.end)) {
    scanner.push(chunk);
    onChunk?.(scanner);
  }
  if (job.end >= job.size) return scanner.finish();
  const lookEnd = Math.min(job.size, job.end + LOOKAHEAD);
  return scanner.finish(readAll(files, job.path, job.end, lookEnd), lookEnd >= job.size);
}

/** The first line start at or after `pos`, or undefined when none is near (inside a huge line). */
function nextLineStart(files: FileAccess, path: string, pos: number, size: number): number | undefined {
  let at = pos;
  for (const c of files.readRange(path, pos, Math.min(size, pos + MAX_SEEK_FOR_NEWLINE))) {
    const i = Buffer.from(c.buffer, c.byteOffset, c.length).indexOf(10);
    if (i >= 0) return at + i + 1;
    at += c.length;
  }
  return undefined;
}

/** Cut [0, size) into up to `n` ranges that start at line starts. */
export function planRanges(files: FileAccess, path: string, size: number, n: number): { start: number; end: number }[] {
  const cuts = [0];
  for (let k = 1; k < n; k++) {
    const at = nextLineStart(files, path, Math.floor((size * k) / n), size);
    if (at !== undefined && at > cuts[cuts.length - 1]! && at < size) cuts.push(at);
  }
  return cuts.map((start, k) => ({ start, end: cuts[k + 1] ?? size }));
}

/**
 * Scan a file with several threads; undefined when it is not worth it (small, not a regular file).
 * The first range is scanned here while the workers scan the others.
 */
export async function scanFileInParallel(path: string, prefixes: ReadonlyMap<string, readonly number[]>, par: ParallelFiles, onChunk?: (scanner: Scanner) => void): Promise<ScanPart[] | undefined> {
  const size = par.size(path);
  if (size === undefined || size < par.minBytes || par.threads < 2) return undefined;
  const ranges = planRanges(par, path, size, par.threads);
  if (ranges.length < 2) return undefined;
  const jobs: RangeJob[] = ranges.map((r) => ({ path, ...r, size, prefixes: [...prefixes].map(([p, l]) => [p, [...l]]) }));
  // A worker that cannot start or fails is not fatal: its range is scanned here instead.
  const others = jobs.slice(1).map((job) =>
    par.scanInWorker(job).catch((e: unknown) => {
      par.onWorkerError?.(e);
      return undefined;
    }),
  );
  const first = scanRange(jobs[0]!, par, onChunk);
  const rest = await Promise.all(others);
  return [first, ...rest.map((part, k) => part ?? scanRange(jobs[k + 1]!, par))];
}
