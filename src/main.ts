// The process boundary: the only module that touches `process`. It wires argv, env and the standard
// streams into run(), sets the exit status, ends quietly on a closed pipe, and turns any unexpected
// failure into one line on stderr instead of a stack trace.
//
// Start-up is most of what a lookup costs, so this module builds nothing the run does not use:
// output goes to the file descriptors with fs.writeSync (process.stdout on a pipe builds a net.Socket
// and loads node:net, several ms), stdin is inspected only when a command asks about it, node:tty
// is loaded only when a descriptor is a character device (a terminal, or /dev/null).

import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DECLINED } from './bundle.js';
import { loadBundledCatalogs } from './catalog/bundled.js';
import { buildCatalog } from './catalog/load.js';
import { READ_CHUNK } from './diagnose/input.js';
import { pageName, renderMatchPage } from './pages.js';
import { run } from './run.js';
import type { Io, StdinKind } from './context.js';

declare const __GES_ERR_VERSION__: string;

// This module only ever runs as the CommonJS bundle (scripts/build.mjs), where `require` is the
// bundle's own; a lazy require keeps node:tty (and node:net behind it) off the start-up path.
const isatty = (fd: number): boolean => (require('node:tty') as typeof import('node:tty')).isatty(fd);

// File types from a stat's mode (POSIX's S_IFMT bits, which Node reports on Windows too): Stats'
// isFIFO(), isFile() ... are each a first call of Node's code, ~0.1 ms together.
const S_IFMT = 0o170000;
const PIPE_LIKE = [0o010000 /* FIFO */, 0o100000 /* regular file */, 0o140000 /* socket */];
const S_IFCHR = 0o020000;

function fdKind(fd: number): 'pipe' | 'null' | 'char' | 'none' {
  try {
    const st = fstatSync(fd);
    const type = st.mode & S_IFMT;
    if (PIPE_LIKE.includes(type)) return 'pipe';
    if (type !== S_IFCHR) return 'none';
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

/** Writing to stdout or stderr failed (a full disk, a device error): not a fault of ges-err's. */
class WriteError extends Error {
  constructor(
    readonly fd: 1 | 2,
    cause: Error,
  ) {
    super(cause.message);
  }
}

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
    const buf = Buffer.from(s); // UTF-8; naming it would have Node look up the encoding (a first call)
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') return onClosed();
        if (code !== 'EAGAIN') throw new WriteError(fd, e as Error);
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

/**
 * Runs done first, silently, by the build's run that makes a bundle's code cache
 * (GES_ERR_WRITE_CODE_CACHE, see bin/ges-err.cjs). V8 caches the functions a run has compiled, so a
 * bundle's cache should hold what its usual runs compile, and no more: V8 deserializes all of it on
 * every run. The usual runs, and what was measured:
 * - lookup: a terminal's (a pipe's plain or --json lookup prints a page and loads no bundle), so a
 *   table in colour, which also leaves cli-table3 and chalk their caches (dist/vendor/*.cache);
 *   other formats and an unknown code.
 * - search and user-search: nothing beyond the build's own run (`search quota`, the same with a
 *   user catalog): warming up their variants (--json, -c, -E, no match) made a plain run ~5 % slower
 *   and the variants no faster. A search with user catalogs has a bundle of
 *   its own for the same reason: its code in the search bundle's cache made a plain search deserialize
 *   ~10 % more, and without it in a cache a search of a 50,000-code catalog compiled ~2 ms of it.
 * - text: the build's own run (`graph not running`, printed from match pages, src/pages.ts) and the
 *   same with --json, which renders: without it a script's --json query compiled ~2 M instructions
 *   of rendering; with it the plain run deserializes ~16 KB more (~0.3 M).
 * - diagnose: the build's own run, a `curl -i` response piped in (status line, request id, JSON body).
 * - list: a prefix (the whole listing is a page) and a terminal's table.
 * - full: every kind of run, since it also takes every run a partial bundle declines, and a mistyped
 *   word and --help, which leave fuse.js and commander their caches.
 */
const WARM_UP: Record<typeof __GES_ERR_BUNDLE__, string[][]> = {
  lookup: [['GES.7001', '--format', 'table', '--color', 'always', '--width', '100'], ['GES.7018', '--json'], ['GES.7019', '--format', 'markdown'], ['GES.9999']],
  search: [],
  'user-search': [],
  list: [['list', 'GES.70'], ['list', 'APIGW', '--format', 'table', '--color', 'always', '--width', '100']],
  text: [['graph not running', '--json']],
  diagnose: [],
  full: [['search', 'quota'], ['graph not running'], ['grpah not runing'], ['list'], ['GES.7018', '--json'], ['{"errorCode":"GES.7018","errorMessage":"x"}'], ['--version'], ['--help']],
};

async function warmUp(io: Io): Promise<void> {
  const quiet: Io = { ...io, stdout: { write: () => {}, isTTY: false, columns: undefined }, stderr: { write: () => {}, isTTY: false } };
  for (const argv of WARM_UP[__GES_ERR_BUNDLE__]) {
    // 2 is a usage or catalog error: a warm-up that failed would leave its code out of the cache.
    if ((await run(argv, quiet)) === 2) throw new Error(`code cache warm-up failed: ges-err ${argv.join(' ')}`);
  }
}

/**
 * Pages (GES_ERR_WRITE_PAGES=DIR, a step of the build): what `ges-err CODE` and `ges-err list`, and
 * each with --json, print to a pipe, for every code of the bundled catalog: DIR/CODE.txt and
 * DIR/CODE.json, DIR/list.txt and DIR/list.json. bin/ges-err.cjs prints such a page instead of
 * loading a bundle when a run is exactly that (see `page()` there). Each is rendered by run()
 * itself, seeing a pipe and an environment that changes nothing (the loader uses a page only where
 * the environment would not change the output either).
 */
async function writePages(dir: string, io: Io): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const catalog = buildCatalog(loadBundledCatalogs());
  const runs = [...catalog.heads.map((h) => ({ word: h.code, name: h.code })), { word: 'list', name: 'list' }];
  for (const { word, name } of runs) {
    for (const [argv, ext] of [[[word], 'txt'], [['--json', word], 'json']] as const) {
      let out = '';
      let err = '';
      const pipe: Io = {
        ...io,
        env: {},
        stdout: { write: (s) => void (out += s), isTTY: false, columns: undefined },
        stderr: { write: (s) => void (err += s), isTTY: false },
        stdin: { kind: 'none', open: async function* () {} },
      };
      const status = await run(argv, pipe);
      if (status !== 0 || err !== '') throw new Error(`page of ges-err ${argv.join(' ')}: status ${status}, stderr ${JSON.stringify(err)}`);
      writeFileSync(join(dir, pageName(name, ext)), out);
    }
  }
  for (const h of catalog.heads) writeFileSync(join(dir, pageName(h.code, 'match.txt')), renderMatchPage(catalog.entryFor(h.code)!));
}

/**
 * Run ges-err on this process's arguments and streams. Resolves false, having written nothing, when
 * this is a partial bundle that does not serve the run (src/bundle.ts); otherwise ends the process.
 */
export async function main(): Promise<boolean> {
  const stdoutTTY = isTerminal(1);
  const stderrTTY = isTerminal(2);
  const writeErr = fdWriter(2, stderrTTY);
  let kind: StdinKind | undefined;
  let cache: { dir: string | undefined } | undefined;
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
    openFileReader: (path) => {
      const fd = openSync(path, 'r');
      return { read: (into) => readSync(fd, into, 0, into.length, null), close: () => closeSync(fd) };
    },
    // Only user catalogs use it: worked out when asked.
    get cacheDir() {
      return (cache ??= { dir: cacheDir(process.env) }).dir;
    },
    version: typeof __GES_ERR_VERSION__ === 'string' ? __GES_ERR_VERSION__ : '0.0.0-dev',
    nodeVersion: process.versions.node,
  };
  if (__GES_ERR_BUNDLE__ === 'full' && process.env.GES_ERR_WRITE_PAGES) {
    await writePages(process.env.GES_ERR_WRITE_PAGES, io);
    return true;
  }
  if (process.env.GES_ERR_WRITE_CODE_CACHE) await warmUp(io);
  try {
    const status = await run(process.argv.slice(2), io);
    if (status === DECLINED) return false;
    process.exitCode = status;
  } catch (e) {
    const err = e as Error;
    const message = String(err.message).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
    if (err instanceof WriteError) {
      // Nowhere to say so when standard error is what failed.
      if (err.fd === 1) writeErr(`ges-err: cannot write the output: ${message}\n`);
    } else {
      if (process.env.GES_ERR_DEBUG) writeErr(`${err.stack ?? err}\n`);
      writeErr(`ges-err: internal error: ${message} (set GES_ERR_DEBUG=1 for details)\n`);
    }
    process.exitCode = 2;
  }
  // Everything is written (synchronously) and nothing else is pending: end now. Left to exit on its
  // own, Node first runs the tasks V8 has scheduled, such as a scavenge of the young generation,
  // which costs a run that allocated a few hundred KB (a listing) 2-5 ms for nothing.
  if (!queued) process.exit();
  return true;
}

// Run directly (`node dist/ges-err.cjs`), the full bundle starts itself; bin/ges-err.cjs loads a
// bundle as a module and calls main().
if (__GES_ERR_BUNDLE__ === 'full' && require.main === module) void main();
