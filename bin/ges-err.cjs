#!/usr/bin/env node
'use strict';
// Loader: runs the bundle that `npm run build` (run by `npm install`) writes, dist/ges-err.cjs,
// compiled from V8's code cache when a matching one exists, so a lookup does not pay to parse and
// compile the bundle on every start (Node 20 has no module.enableCompileCache).
//
// This is not eval: vm.Script runs the bundle file's own bytes, wrapped exactly as require() wraps a
// CommonJS module; the cache only lets V8 skip compiling them. A cache is used only when it was made
// from this very file, as identified by its device, inode, size, and modification and change times
// as finely as the file system records them (V8 itself checks just the length; the change time
// cannot be set back by a program, so a rewritten bundle never matches an old cache), and when V8
// accepts it (same V8 version and flags). Anything else compiles from source, as require() would.
// After a run that had no usable cache, one is written for the next run: into dist/ when the build
// asks (GES_ERR_WRITE_CODE_CACHE), otherwise into the user's cache folder when there is one.
//
// There are two caches of the one bundle. V8 deserializes everything a cache holds, so a cache made by
// a run that also searched, matched free text, listed and diagnosed costs a lookup ~1.5 ms more than
// one made by a lookup alone, while it saves those other runs compiling their code (2-5 ms). A run
// takes the 'lookup' cache when its arguments look like codes, else the 'full' one. The guess only
// picks a cache: a wrong one costs a little time, never a different result.

const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
const file = path.join(dist, 'ges-err.cjs');
const MAGIC = 'ges-err code cache 2\n';

const COMMANDS = new Set(['explain', 'search', 'list', 'diagnose', 'completion']);
/** 'lookup' when the arguments look like codes (`GES.7018`, `ges 7018`, `--json 7018`), else 'full'. */
function cacheKind() {
  const wanted = process.env.GES_ERR_WRITE_CODE_CACHE;
  if (wanted === 'lookup' || wanted === 'full') return wanted;
  const words = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const codeLike = (a) => a.length <= 40 && !COMMANDS.has(a) && !/[\s{}"'<]/.test(a);
  return words.length > 0 && words.every(codeLike) && words.some((a) => /\d/.test(a)) ? 'lookup' : 'full';
}
const kind = cacheKind();

let source;
let identity;
try {
  const fd = fs.openSync(file, 'r');
  // Times in ms with their fraction: as fine as the file system keeps them (a BigInt stat is slower).
  const st = fs.fstatSync(fd);
  identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}\n`;
  source = fs.readFileSync(fd, 'utf8');
  fs.closeSync(fd);
} catch (e) {
  if (e && e.code === 'ENOENT') {
    process.stderr.write("ges-err: not built yet; run 'npm install' or 'npm run build' in the ges-err folder\n");
    process.exitCode = 2;
    return;
  }
  throw e;
}

/** The user-level cache file, named per Node version and per installed copy of ges-err. */
function userCacheFile() {
  const env = process.env;
  if (env.GES_ERR_NO_CACHE) return undefined;
  let base;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) base = path.join(env.XDG_CACHE_HOME, 'ges-err');
  else if (process.platform === 'win32') base = env.LOCALAPPDATA && path.join(env.LOCALAPPDATA, 'ges-err', 'cache');
  else if (process.platform === 'darwin') base = env.HOME && path.join(env.HOME, 'Library', 'Caches', 'ges-err');
  else base = env.HOME && path.join(env.HOME, '.cache', 'ges-err');
  if (!base) return undefined;
  let h = 0x811c9dc5;
  for (let i = 0; i < dist.length; i++) h = Math.imul(h ^ dist.charCodeAt(i), 0x01000193);
  return path.join(base, `code-${process.version}-${process.arch}-${(h >>> 0).toString(16)}-${kind}.cache`);
}

/** The V8 data in a cache file, if the file was made from this bundle file. */
function cachedDataFrom(cacheFile) {
  let buf;
  try {
    buf = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const head = MAGIC + identity;
  if (buf.length <= head.length || buf.toString('latin1', 0, head.length) !== head) return undefined;
  return buf.subarray(head.length);
}

function writeCache(cacheFile, data) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC + identity, 'latin1'), data]), { mode: cacheFile.startsWith(dist) ? 0o644 : 0o600 });
    fs.renameSync(tmp, cacheFile); // atomic: a concurrent run sees the old file or the new one
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {}
  }
}

let run;
let script;
let writeTo;
try {
  const { Script } = require('vm');
  // module.constructor is Module, already loaded; require('module') would load its public wrapper.
  const { wrap } = module.constructor;
  const shipped = `${file}.${kind}.cache`;
  let cacheFile = shipped;
  let cachedData = process.env.GES_ERR_WRITE_CODE_CACHE ? undefined : cachedDataFrom(shipped);
  if (!cachedData && !process.env.GES_ERR_WRITE_CODE_CACHE) {
    cacheFile = userCacheFile();
    cachedData = cacheFile && cachedDataFrom(cacheFile);
  }
  script = new Script(wrap(source), { filename: file, cachedData });
  if (process.env.GES_ERR_WRITE_CODE_CACHE) writeTo = shipped;
  else if (!cachedData || script.cachedDataRejected) writeTo = cacheFile;
  if (process.env.GES_ERR_DEBUG_CODE_CACHE) {
    const state = !cachedData ? 'none matched' : script.cachedDataRejected ? 'rejected by V8' : 'used';
    process.stderr.write(`ges-err: code cache ${state}${cachedData ? ` (${cacheFile})` : ''}${writeTo ? `; writing ${writeTo}` : ''}\n`);
  }
  run = script.runInThisContext();
} catch {
  run = undefined; // anything unexpected here: load the bundle the ordinary way
}

if (run) {
  if (writeTo) {
    // At exit, the functions this run compiled are in the cache too.
    process.once('exit', () => {
      try {
        writeCache(writeTo, script.createCachedData());
      } catch {}
    });
  }
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  run.call(mod.exports, mod.exports, module.constructor.createRequire(file), mod, file, dist);
} else {
  require(file);
}
