// The process boundary: the only module that touches `process`. It wires argv, env and the standard
// streams into run(), sets the exit status, ends quietly on a closed pipe, and turns any unexpected
// failure into one line on stderr instead of a stack trace.

import fs from 'node:fs';
import os from 'node:os';
import tty from 'node:tty';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { run } from './run.js';
import type { Io, StdinKind } from './context.js';
import { scanRange, type FileAccess, type ParallelFiles, type RangeJob } from './diagnose/parallel.js';
import type { ScanPart } from './diagnose/scanner.js';

declare const __GES_ERR_VERSION__: string;

function stdinKind(): StdinKind {
  try {
    const st = fs.fstatSync(0);
    if (st.isFIFO() || st.isFile() || st.isSocket()) return 'pipe';
    // tty.isatty, not process.stdin.isTTY: touching process.stdin builds a stream (slow, and it may read).
    if (tty.isatty(0)) return 'tty';
    // A character device that is not a terminal (/dev/null): readable, ends at once.
    return st.isCharacterDevice() ? 'pipe' : 'none';
  } catch {
    return 'none'; // stdin closed (EBADF), as under some CI runners
  }
}

function readTextFile(path: string, maxBytes: number): string {
  const st = fs.statSync(path);
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (st.size > maxBytes) throw Object.assign(new Error('file too large'), { code: 'EFBIG' });
  return fs.readFileSync(path, 'utf8');
}

const READ_CHUNK = 1 << 20;

/**
 * Read a file descriptor in chunks with blocking reads into one reused buffer: several times faster
 * than a ReadStream on big logs (no stream machinery, no fresh allocation per chunk). Each chunk is
 * valid until the next one is requested. A non-blocking stdin (EAGAIN) falls back to process.stdin.
 */
async function* readFd(open: () => number, close: boolean): AsyncGenerator<Uint8Array> {
  const fd = open();
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, READ_CHUNK, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN' && fd === 0) {
          yield* process.stdin;
          return;
        }
        if ((e as NodeJS.ErrnoException).code === 'EOF') return;
        throw e;
      }
      if (n <= 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    if (close) fs.closeSync(fd);
  }
}

function* readRange(path: string, start: number, end: number): Generator<Uint8Array> {
  const fd = fs.openSync(path, 'r');
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  try {
    for (let pos = start; pos < end; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(READ_CHUNK, end - pos), pos);
      if (n <= 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

const files: FileAccess = {
  size(path) {
    try {
      const st = fs.statSync(path);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  },
  readRange,
};

/** Scan a range of a big file in a worker thread running this same bundle (see the end of this file). */
function scanInWorker(job: RangeJob): Promise<ScanPart> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: job });
    w.once('message', (m: { part?: ScanPart; error?: string }) => (m.part ? resolve(m.part) : reject(new Error(m.error))));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`scan worker exited with status ${code}`)));
  });
}

/**
 * Below this size a file is scanned in one pass: a worker thread takes 40-120 ms to start (more on
 * a busy machine), which one thread spends scanning 100-200 MB. GES_ERR_SPLIT_MIN_BYTES overrides
 * it (for tests and tuning).
 */
const SPLIT_MIN_BYTES = 256 * 1024 * 1024;

function parallelFiles(): ParallelFiles {
  const threads = Math.min(4, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  const override = Number(process.env.GES_ERR_SPLIT_MIN_BYTES);
  return {
    ...files,
    threads,
    minBytes: Number.isFinite(override) && override > 0 ? override : SPLIT_MIN_BYTES,
    scanInWorker,
    onWorkerError: (e) => {
      if (process.env.GES_ERR_DEBUG) process.stderr.write(`ges-err: scan worker failed, scanning its range here: ${String((e as Error).message)}\n`);
    },
  };
}

function onStreamError(err: NodeJS.ErrnoException): void {
  // Reader went away (`ges-err list | head -1`): stop quietly with success, like grep.
  if (err.code === 'EPIPE') process.exit(0);
  process.exitCode = 2;
}

async function main(): Promise<void> {
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  const io: Io = {
    env: process.env,
    stdout: { write: (s) => void process.stdout.write(s), isTTY: process.stdout.isTTY === true, columns: process.stdout.columns },
    stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    stdin: { kind: stdinKind(), open: () => readFd(() => 0, false) },
    readTextFile,
    openFile: (path) => readFd(() => fs.openSync(path, 'r'), true),
    parallel: parallelFiles(),
    version: typeof __GES_ERR_VERSION__ === 'string' ? __GES_ERR_VERSION__ : '0.0.0-dev',
    nodeVersion: process.versions.node,
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    const err = e as Error;
    if (process.env.GES_ERR_DEBUG) process.stderr.write(`${err.stack ?? err}\n`);
    process.stderr.write(`ges-err: internal error: ${String(err.message).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')} (set GES_ERR_DEBUG=1 for details)\n`);
    process.exitCode = 2;
  }
}

/** In a scan worker: scan the range asked for and send back what was found. */
function workerMain(): void {
  try {
    parentPort!.postMessage({ part: scanRange(workerData as RangeJob, files) });
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error).message) });
  }
}

if (isMainThread) void main();
else workerMain();
