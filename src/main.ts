// The process boundary: the only module that touches `process`. It wires argv, env and the standard
// streams into run(), sets the exit status, ends quietly on a closed pipe, and turns any unexpected
// failure into one line on stderr instead of a stack trace.

import fs from 'node:fs';
import tty from 'node:tty';
import { run } from './run.js';
import type { Io, StdinKind } from './context.js';

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

void main();
