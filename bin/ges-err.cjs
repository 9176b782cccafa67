#!/usr/bin/env node
'use strict';
// Loader: runs a bundle that `npm run build` (run by `npm install`) writes to dist/, compiled from
// V8's code cache when a matching one exists, so a lookup does not pay to parse and compile the
// bundle on every start (Node 20 has no module.enableCompileCache).
//
// This is not eval: vm.Script runs the bundle file's own bytes, which the build wrote as the
// function require() would wrap a CommonJS module in; the cache only lets V8 skip compiling them.
// The build ends every bundle with a stamp, a line naming a hash of its content, and a cache is
// used only when its key holds that stamp, the source's length, the Node version and architecture,
// and Node's options (V8 itself checks just the length, its version and its flags), and when V8
// accepts it. So a copy of the package (an npm install elsewhere) uses the caches the build
// shipped, and a bundle rebuilt or edited (its stamp gone, or its length changed) never meets a
// cache of its old content; only an edit that keeps both the stamp line and the length would, which
// is why dist/ is the build's output, not a place to edit. A bundle without a stamp runs from
// source and writes no cache.
// After a run that had no usable cache, one is written for the next run: into dist/ when the build
// asks (GES_ERR_WRITE_CODE_CACHE), otherwise into the user's cache folder when there is one.
// Reading a bundle and its key takes one call that Node's own loader has compiled already
// (readFileSync with 'utf8'), and no stat of the bundle; the cache is read with the calls the bundles
// make anyway (open, fstat, read, close). Each first call of another of Node's functions compiles it.
//
// The CLI is built as several bundles (src/bundle.ts): dist/ges-err.cjs holds everything, and partial
// ones hold only what a lookup, a search (of the bundled catalog, or with user catalogs), a listing,
// a free-text query or the diagnosis of a response piped or pasted in needs, each with its own
// cache. V8 deserializes everything a cache holds, and a cache holds every function the bundle's
// top level defines, so a smaller bundle starts faster (a lookup from the full bundle cost ~1.5 ms
// more). The loader guesses the bundle from the arguments; a partial bundle declines, before
// writing anything, a run it has no code for, and the full bundle runs it. A wrong guess costs
// time, never a different result. GES_ERR_BUNDLE=NAME forces the first bundle tried (for the build
// and the tests).
//
// The commonest runs of a script, one bundled code or the whole listing printed to a pipe
// (`ges-err GES.7018`, `ges-err list`, either with --json), load no bundle at all: the build
// rendered their output by those very runs (a "page", dist/pages/NAME.txt or .json), and the loader
// prints it. See page() for when one is used.

const fs = require('fs');
const path = require('path');

// Paths are joined by hand on the way to a page or a bundle: a process's first path.join costs
// ~0.15 ms (Node compiles its path helpers on first use), as much as printing a page.
const dist = path.dirname(__dirname) + path.sep + 'dist';
const MAGIC = 'ges-err code cache 4\n';
const STAMP = '\n// ges-err build ';
const BUNDLES = new Set(['full', 'lookup', 'search', 'user-search', 'list', 'text', 'diagnose']);
const COMMANDS = new Set(['explain', 'search', 'list', 'diagnose', 'completion']);

// Options whose value is the next argument (src/cli/spec.ts): that value is not a word of the query.
const VALUE_OPTIONS = new Set(['--format', '--lang', '--color', '--catalog', '--width', '--family', '--status']);

// The functions every run of a bundle calls are parenthesized function expressions: V8 compiles
// such a function with the script (its guess for one called at once), where a declaration is
// pre-parsed, then parsed again on its first call (~0.5 M instructions of a bundle's run, ~1 %; a
// page's run pays ~0.5 M for the ones it does not call). So they are defined before their use.

// The tests below avoid regular expressions where a string method does: V8 compiles each regular
// expression on its first use (~20-50 us), and these run before every page and bundle.

/** True when GES_ERR_CATALOG names user catalogs (src/context.ts reads it the same way). */
const userCatalogsInEnv = (() => (process.env.GES_ERR_CATALOG || '').trim() !== '');

/** True when `s` holds a digit, ASCII (what \d matches) or full-width (U+FF10-U+FF19, what a Chinese IME types). */
const hasDigit = (function hasDigit(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19)) return true;
  }
  return false;
});

/** True when `s` is all ASCII (which NFKC leaves as it is). */
const isAscii = (function isAscii(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
});

/** What /[\s{}"'<]/ finds: JavaScript's white space, braces, quotes and '<'. */
const NOT_IN_CODES = '{}"\'< \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** True when `s` holds one of the characters of `set`. */
const hasAnyOf = (function hasAnyOf(s, set) {
  for (let i = 0; i < s.length; i++) if (set.includes(s[i])) return true;
  return false;
});

/** The bundle most likely to serve these arguments (the full one is always right, and slowest). */
const guessBundle = (function guessBundle(argv) {
  const forced = process.env.GES_ERR_BUNDLE;
  if (forced && BUNDLES.has(forced)) return forced;
  // User catalogs are loaded by the full and user-search bundles only.
  let userCatalogs = userCatalogsInEnv();
  let helpOrVersion = false;
  const words = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--catalog' || a.startsWith('--catalog=')) userCatalogs = true;
    if (a === '--help' || a === '-h' || a === '--version' || a === '-V') helpOrVersion = true;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (a === '-' || !a.startsWith('-')) words.push(a);
  }
  const first = words[0];
  if (first === 'search') return userCatalogs ? 'user-search' : 'search';
  if (userCatalogs || helpOrVersion) return 'full';
  // No words: diagnose standard input (or say there is nothing to explain). `-` is standard input too.
  if (first === undefined || first === '-' || first === 'diagnose') return 'diagnose';
  if (first === 'list') return first;
  if (COMMANDS.has(first)) return 'full';
  // `GES.7018`, `ges 7018`, `--json 7018`: a lookup; other words are free text, unless they look
  // like a pasted JSON body, which only the full bundle can diagnose.
  const codeLike = (a) => a.length <= 40 && !hasAnyOf(a, NOT_IN_CODES);
  if (words.every(codeLike) && words.some(hasDigit)) return 'lookup';
  return words.some((a) => a.includes('{') || a.includes('}')) ? 'diagnose' : 'text';
});

/**
 * The page the build rendered for this run (dist/pages/NAME.txt or NAME.json, see writePages in
 * src/main.ts), or undefined. Only for the commonest runs of a script, whose output nothing but
 * the words and --json decides: one code of the bundled catalog, or `list`, with at most --json,
 * printed to a pipe or a file (a terminal gets a table fitted to its width), colour not forced
 * (FORCE_COLOR colours a pipe), no user catalog (it may add or override codes). Any other run loads
 * a bundle.
 */
const page = (function page(argv) {
  const env = process.env;
  if (argv.length === 0 || argv.length > 2 || env.FORCE_COLOR !== undefined || userCatalogsInEnv() || env.GES_ERR_BUNDLE) return undefined;
  const json = argv.length === 2;
  const typed = json ? (argv[0] === '--json' ? argv[1] : argv[1] === '--json' ? argv[0] : '') : argv[0];
  // A code typed with an IME's full-width forms (GES.7018 as U+FF27 U+FF25 U+FF33 U+FF0E U+FF17...)
  // is read in its NFKC form, as the bundles read it (src/code.ts).
  const word = isAscii(typed) ? typed : typed.normalize('NFKC');
  const name = typed === 'list' ? typed : word !== '' && /^[A-Za-z]{1,16}\.\d{1,8}$/.test(word) ? word.toUpperCase() : undefined;
  if (name === undefined) return undefined;
  try {
    const st = fs.fstatSync(1);
    if (!(st.isFIFO() || st.isFile() || st.isSocket())) return undefined;
    const file = `${dist}${path.sep}pages${path.sep}${name}.${json ? 'json' : 'txt'}`;
    return { file, bytes: fs.readFileSync(file) };
  } catch {
    return undefined; // no such page (a code the catalog lacks), or stdout closed
  }
});

/** Print a page as the bundles print output: a reader that went away ends the run quietly with success. */
function printPage(p) {
  if (process.env.GES_ERR_DEBUG_CODE_CACHE) process.stderr.write(`ges-err: page ${p.file}\n`);
  for (let off = 0; off < p.bytes.length; ) {
    try {
      off += fs.writeSync(1, p.bytes, off, p.bytes.length - off);
    } catch (e) {
      if (e && e.code === 'EPIPE') break;
      if (e && e.code === 'EAGAIN') {
        // A non-blocking pipe: Node's stream queues the rest and writes it before the process ends.
        process.stdout.on('error', () => {});
        process.stdout.write(p.bytes.subarray(off));
        return;
      }
      process.stderr.write(`ges-err: cannot write the output: ${e && e.message ? e.message : e}\n`);
      process.exitCode = 2;
      return;
    }
  }
  process.exit(0);
}

/** Read a bundle and its cache key, or undefined when it does not exist. */
const readBundle = (function readBundle(name) {
  return readCode(name, dist + path.sep + (name === 'full' ? 'ges-err.cjs' : `ges-err-${name}.cjs`));
});

/** FNV-1a of a string, in hex. */
const fnv = (function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
});

/** A hash of the options Node runs with: V8 rejects a cache made under other flags. */
const nodeOptions = () => fnv(`${process.execArgv.join('\0')}\0${process.env.NODE_OPTIONS || ''}`);

/**
 * Read a file of code and the key of its caches (see the top of this file; undefined when the file
 * has no stamp), or undefined when it does not exist.
 */
const readCode = (function readCode(name, file) {
  let source;
  try {
    source = fs.readFileSync(file, 'utf8'); // the loader of bin/ has compiled this path already
  } catch (e) {
    if (e && e.code === 'ENOENT') return undefined;
    throw e;
  }
  const at = source.lastIndexOf(STAMP);
  const stamped = at >= 0 && source.indexOf('\n', at + 1) === source.length - 1;
  if (!stamped) return { name, file, key: undefined, source };
  // Hex, digits and a hash of the options: ASCII, so that each byte of the file is one character.
  const key = `${MAGIC}${source.slice(at + STAMP.length, -1)} ${source.length} ${process.version} ${process.arch} ${nodeOptions()}`;
  // Padded to a multiple of 8 bytes, so that the V8 data after it starts 8-aligned in the buffer
  // read: V8 copies data that is not aligned before deserializing it (~130 KB, and its pages).
  return { name, file, key: `${key}${' '.repeat(7 - (key.length % 8))}\n`, source };
});

/**
 * The user-level cache file for a bundle, named per Node version, per installed copy of ges-err and
 * per set of Node options (runs under two sets would otherwise rewrite one file in turn).
 */
function userCacheFile(name) {
  const env = process.env;
  if (env.GES_ERR_NO_CACHE) return undefined;
  let base;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) base = path.join(env.XDG_CACHE_HOME, 'ges-err');
  else if (process.platform === 'win32') base = env.LOCALAPPDATA && path.join(env.LOCALAPPDATA, 'ges-err', 'cache');
  else if (process.platform === 'darwin') base = env.HOME && path.join(env.HOME, 'Library', 'Caches', 'ges-err');
  else base = env.HOME && path.join(env.HOME, '.cache', 'ges-err');
  if (!base) return undefined;
  return path.join(base, `code-${process.version}-${process.arch}-${fnv(dist)}-${nodeOptions()}-${name}.cache`);
}

/**
 * The V8 data in a cache file, if the file starts with this key. Read into a plain Uint8Array and
 * compared byte by byte: fs.readFileSync without an encoding and toString('latin1') each compile
 * more of Node's code on first use, which the bundles do not otherwise need.
 */
const cachedDataFrom = (function cachedDataFrom(cacheFile, key) {
  let fd;
  try {
    fd = fs.openSync(cacheFile, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= key.length) return undefined;
    const bytes = new Uint8Array(size);
    for (let off = 0; off < size; ) {
      // readvSync, as the bundles read (src/bytes.ts): one of Node's read functions compiled, not two.
      const n = fs.readvSync(fd, [off ? bytes.subarray(off) : bytes], off);
      if (n <= 0) return undefined;
      off += n;
    }
    for (let i = 0; i < key.length; i++) if (bytes[i] !== key.charCodeAt(i)) return undefined;
    return new Uint8Array(bytes.buffer, key.length);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
});

function writeCache(cacheFile, key, data) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(key, 'latin1'), data]), { mode: cacheFile.startsWith(dist) ? 0o644 : 0o600 });
    fs.renameSync(tmp, cacheFile); // atomic: a concurrent run sees the old file or the new one
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {}
  }
}

// The bundle runs as a function of what require() gives a CommonJS module. The build writes each
// file as that function already (scripts/build.mjs, forLoader), so that its text is compiled as it
// is: wrapping it here made a copy of it. A file without that start is wrapped here (the same
// wrapper as Module.wrap's, written out: reading that getter is a first call of Node's code).
// scripts/build.mjs reads PREWRAPPED from this line: keep it one line, in single quotes.
const PREWRAPPED = '(typeof arguments === "object" ? (f) => f.apply(this, arguments) : (f) => f)((function (exports, require, module, __filename, __dirname) {';
const WRAPPER = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n});';

const vendorDir = dist + path.sep + 'vendor' + path.sep;
const vendorModules = new Map();

/**
 * The require() the bundles get. The third-party modules they load on first use (dist/vendor/*.cjs:
 * cli-table3 and chalk for a terminal's tables, fuse.js for a mistyped word, commander for help)
 * are loaded as the bundles are, from a code cache: compiling cli-table3 alone cost a terminal's
 * lookup ~5 ms, fuse.js ~7 ms.
 */
function bundleRequire(id) {
  if (typeof id !== 'string' || !id.startsWith(vendorDir)) return require(id);
  let exports = vendorModules.get(id);
  if (exports === undefined) {
    const code = readCode(`vendor-${path.basename(id, '.cjs')}`, id);
    exports = code ? load(code) : require(id);
    vendorModules.set(id, exports);
  }
  return exports;
}

/** Evaluate a bundle (or a vendor module), from its code cache when one matches, and return its exports. */
const load = (function load(bundle) {
  const writing = Boolean(process.env.GES_ERR_WRITE_CODE_CACHE);
  const debug = process.env.GES_ERR_DEBUG_CODE_CACHE;
  let run;
  let script;
  let writeTo;
  try {
    const { Script } = require('vm');
    const shipped = `${bundle.file}.cache`;
    const { key } = bundle;
    const text = bundle.source.startsWith(PREWRAPPED) ? bundle.source : WRAPPER + bundle.source + WRAPPER_END;
    const compile = (cachedData) => new Script(text, { filename: bundle.file, cachedData });
    let from; // the cache file read
    let cachedData;
    let own; // where this run's cache goes, if it had none that V8 took
    if (writing) own = shipped;
    else if (key) {
      cachedData = cachedDataFrom(shipped, key);
      if (cachedData) {
        from = shipped;
        script = compile(cachedData);
      }
      // No shipped cache for this key (another Node, other options), or one V8 rejects although the
      // key matched (another build of the same Node version): the user's own, if any.
      if (!script || script.cachedDataRejected) {
        own = userCacheFile(bundle.name);
        const ownData = own && cachedDataFrom(own, key);
        if (ownData) {
          from = own;
          cachedData = ownData;
          script = compile(ownData);
        }
      }
    }
    script ??= compile(undefined);
    // Without a key (no stamp) nothing is written: the cache could not be told from one of other content.
    if (key && own && (writing || !cachedData || script.cachedDataRejected)) writeTo = own;
    if (debug) {
      const state = !cachedData ? 'none matched' : script.cachedDataRejected ? 'rejected by V8' : 'used';
      const what = bundle.file.startsWith(vendorDir) ? `vendor/${path.basename(bundle.file)}` : `${bundle.name} bundle`;
      process.stderr.write(`ges-err: ${what}, code cache ${state}${cachedData ? ` (${from})` : ''}${writeTo ? `; writing ${writeTo}` : ''}\n`);
    }
    run = script.runInThisContext();
  } catch {
    run = undefined; // anything unexpected here: load the bundle the ordinary way
  }
  if (!run) return require(bundle.file);
  if (writeTo) {
    // At exit, the functions this run compiled are in the cache too.
    process.once('exit', () => {
      try {
        writeCache(writeTo, bundle.key, script.createCachedData());
      } catch {}
    });
  }
  const mod = { exports: {}, filename: bundle.file, id: bundle.file, loaded: false };
  // The bundles require only Node's modules and, by absolute path, files in dist/ (scripts/build.mjs):
  // bundleRequire serves them, and making a require for the bundle's path cost ~0.15 ms.
  run.call(mod.exports, mod.exports, bundleRequire, mod, bundle.file, path.dirname(bundle.file));
  return mod.exports;
});

function notBuilt() {
  process.stderr.write("ges-err: not built yet; run 'npm install' or 'npm run build' in the ges-err folder\n");
  process.exitCode = 2;
}

const rendered = page(process.argv.slice(2));
const first = rendered ? undefined : guessBundle(process.argv.slice(2));
const partial = first === undefined || first === 'full' ? undefined : readBundle(first);
if (rendered) {
  printPage(rendered);
} else if (partial) {
  load(partial)
    .main()
    .then((served) => {
      if (served) return;
      if (process.env.GES_ERR_DEBUG_CODE_CACHE) process.stderr.write(`ges-err: the ${first} bundle declined the run\n`);
      const full = readBundle('full');
      if (full) load(full).main();
      else notBuilt();
    });
} else {
  const full = readBundle('full');
  if (full) load(full).main();
  else notBuilt();
}
