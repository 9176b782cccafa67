// The process boundary: the only module that touches `process`. It wires argv, env and the standard
// streams into run(), sets the exit status, ends quietly on a closed pipe, and turns any unexpected
// failure into one line on stderr instead of a stack trace.
//
// Start-up is most of what a lookup costs, so this module builds nothing the run does not use:
// output goes to the file descriptors with fs.writeSync (process.stdout on a pipe builds a net.Socket
// and loads node:net, several ms), stdin is inspected only when a command asks about it, node:tty
// is loaded only when a descriptor is a character device (a terminal, or /dev/null), and
// node:worker_threads (~3 ms) only in a scan worker or when diagnose splits a big file.

import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { run } from './run.js';
import type { Io, StdinKind } from './context.js';
import type { FileAccess, ParallelFiles, RangeJob } from './diagnose/parallel.js';
import type { ScanPart } from './diagnose/scanner.js';

declare const __GES_ERR_VERSION__: string;

// This module only ever runs as the CommonJS bundle (scripts/build.mjs), where `require` is the
// bundle's own; lazy requires keep node:tty (and node:net behind it) and node:worker_threads off
// the start-up path.
const isatty = (fd: number): boolean => (require('node:tty') as typeof import('node:tty')).isatty(fd);
const workerThreads = (): typeof import('node:worker_threads') => require('node:worker_threads') as typeof import('node:worker_threads');

function fdKind(fd: number): 'pipe' | 'null' | 'char' | 'none' {
  try {
    const st = fstatSync(fd);
    if (st.isFIFO() || st.isFile() || st.isSocket()) return 'pipe';
    if (!st.isCharacterDevice()) return 'none';
    // Linux's memory devices (major 1: /dev/null, /dev/zero, ...) are never terminals; knowing it
    // spares `>/dev/null` loading node:tty to ask.
    return process.platform === 'linux' && ((st.rdev >> 8) & 0xfff) === 1 ? 'null' : 'char';
  } catch {
    return 'none'; // closed (EBADF), as under some CI runners
  }
}

function stdinKind(): StdinKind {
  const k = fdKind(0);
  if (k === 'char' && isatty(0)) return 'tty';
  // A character device that is not a terminal (/dev/null): readable, ends at once.
  return k === 'none' ? 'none' : 'pipe';
}

const isTerminal = (fd: number): boolean => fdKind(fd) === 'char' && isatty(fd);

/** Set when some output went to a stream, which may still be writing it. */
let queued = false;

/**
 * A synchronous writer for fd 1 or 2. Writes go straight to the descriptor; if it is non-blocking
 * (EAGAIN, e.g. a pipe a parent set O_NONBLOCK on) the rest of the run's output goes through
 * Node's stream for that descriptor, which queues it, so nothing is lost or reordered. A Windows
 * console always gets the stream: it takes UTF-16 from it, and raw UTF-8 bytes would be mojibake.
 */
function fdWriter(fd: 1 | 2, terminal: boolean): (s: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  let closed = false;
  const onClosed = (): void => {
    // Reader went away (`ges-err list | head -1`): stop quietly with success, like grep.
    if (fd === 1) process.exit(0);
    closed = true; // nowhere left to report to
  };
  const toStream = (): NodeJS.WriteStream => {
    queued = true;
    const st = fd === 1 ? process.stdout : process.stderr;
    st.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') onClosed();
      else process.exitCode = 2;
    });
    return st;
  };
  if (terminal && process.platform === 'win32') stream = toStream();
  return (s) => {
    if (closed || s === '') return;
    if (stream) {
      stream.write(s);
      return;
    }
    const buf = Buffer.from(s, 'utf8');
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') return onClosed();
        if (code !== 'EAGAIN') throw e;
        stream = toStream();
        stream.write(buf.subarray(off));
        return;
      }
    }
  };
}

function readTextFile(file: string, maxBytes: number): string {
  const st = statSync(file);
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (st.size > maxBytes) throw Object.assign(new Error('file too large'), { code: 'EFBIG' });
  return readFileSync(file, 'utf8');
}

/** Where derived data (validated user catalogs) may be kept: $XDG_CACHE_HOME/ges-err or the platform's equivalent. */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GES_ERR_NO_CACHE) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'ges-err');
  if (process.platform === 'win32') return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, 'ges-err', 'cache') : undefined;
  if (process.platform === 'darwin' && env.HOME) return join(env.HOME, 'Library', 'Caches', 'ges-err');
  return env.HOME ? join(env.HOME, '.cache', 'ges-err') : undefined;
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
        n = readSync(fd, buf, 0, READ_CHUNK, null);
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
    if (close) closeSync(fd);
  }
}

function* readRange(path: string, start: number, end: number): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  try {
    for (let pos = start; pos < end; ) {
      const n = readSync(fd, buf, 0, Math.min(READ_CHUNK, end - pos), pos);
      if (n <= 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

const files: FileAccess = {
  size(path) {
    try {
      const st = statSync(path);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  },
  readRange,
};

/** argv[2] of a scan worker (see the end of this file). */
const SCAN_WORKER = '--ges-err-scan-worker';

/** Scan a range of a big file in a worker thread running this same bundle (see the end of this file). */
function scanInWorker(job: RangeJob): Promise<ScanPart> {
  return new Promise((resolve, reject) => {
    const w = new (workerThreads().Worker)(__filename, { workerData: job, argv: [SCAN_WORKER] });
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
  const { availableParallelism, cpus } = require('node:os') as typeof import('node:os');
  const threads = Math.min(4, typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);
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

async function main(): Promise<void> {
  const stdoutTTY = isTerminal(1);
  const stderrTTY = isTerminal(2);
  const writeErr = fdWriter(2, stderrTTY);
  let kind: StdinKind | undefined;
  let parallel: ParallelFiles | undefined;
  const io: Io = {
    env: process.env,
    stdout: {
      write: fdWriter(1, stdoutTTY),
      isTTY: stdoutTTY,
      // Only a terminal has a width; asking process.stdout for it builds the tty stream.
      columns: stdoutTTY ? process.stdout.columns : undefined,
    },
    stderr: { write: writeErr, isTTY: stderrTTY },
    stdin: {
      get kind() {
        return (kind ??= stdinKind());
      },
      open: () => readFd(() => 0, false),
    },
    readTextFile,
    openFile: (path) => readFd(() => openSync(path, 'r'), true),
    cacheDir: cacheDir(process.env),
    // Built when diagnose asks (node:os is not loaded by other runs).
    get parallel() {
      return (parallel ??= parallelFiles());
    },
    version: typeof __GES_ERR_VERSION__ === 'string' ? __GES_ERR_VERSION__ : '0.0.0-dev',
    nodeVersion: process.versions.node,
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    const err = e as Error;
    if (process.env.GES_ERR_DEBUG) writeErr(`${err.stack ?? err}\n`);
    writeErr(`ges-err: internal error: ${String(err.message).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')} (set GES_ERR_DEBUG=1 for details)\n`);
    process.exitCode = 2;
  }
  // Everything is written (synchronously) and nothing else is pending: end now. Left to exit on its
  // own, Node first runs the tasks V8 has scheduled, such as a scavenge of the young generation,
  // which costs a run that allocated a few hundred KB (a listing) 2-5 ms for nothing.
  if (!queued) process.exit();
}

/** In a scan worker: scan the range asked for and send back what was found. */
async function workerMain(): Promise<void> {
  const { parentPort, workerData } = workerThreads();
  try {
    const { scanRange } = await import('./diagnose/parallel.js');
    parentPort!.postMessage({ part: scanRange(workerData as RangeJob, files) });
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error).message) });
  }
}

// A scan worker is started with SCAN_WORKER as its argument; checking the argument first keeps
// node:worker_threads unloaded in every ordinary run (a user passing it gets the main thread anyway).
if (process.argv[2] === SCAN_WORKER && !workerThreads().isMainThread) void workerMain();
else void main();
