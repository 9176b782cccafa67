// Build: bundle the CLI into one CommonJS file (dist/ges-err.cjs; CommonJS skips the ESM loader's
// start-up cost), bundle the library entry as ESM (dist/index.js) and emit its type declarations.
// Runs on `npm install` (prepare) and before the tests.

import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// The validator's fingerprint: user catalogs validated (and cached, see src/catalog/cache.ts) by one
// build are re-validated by any build whose catalog code differs.
const catalogDir = path.join(root, 'src/catalog');
const fingerprint = createHash('sha256').update(pkg.version);
for (const f of readdirSync(catalogDir).sort()) fingerprint.update(f).update(readFileSync(path.join(catalogDir, f)));
const define = {
  __GES_ERR_VERSION__: JSON.stringify(pkg.version),
  __GES_ERR_PRECOMPILED__: 'true',
  __GES_ERR_CATALOG_FINGERPRINT__: JSON.stringify(fingerprint.digest('hex').slice(0, 16)),
  __GES_ERR_BUNDLE__: JSON.stringify('full'),
};

rmSync(path.join(root, 'dist'), { recursive: true, force: true });

// The user catalog of the run that makes the user-search bundle's code cache (sampleUserCatalog,
// below), written first: a catalog file changed in the last 3 s is not kept as a pack (RACY_MS in
// src/catalog/cache.ts), and that run must read the pack, as a user's later runs do.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ges-err-build-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const userCatalog = path.join(scratch, 'catalog.json');
writeFileSync(userCatalog, JSON.stringify(sampleUserCatalog(), null, 2));
const userCatalogWritten = Date.now();

// Validate catalog/*.json and write dist/catalog.json (the normalized form the bundles read).
const compiler = path.join(root, 'dist/.compile-catalog.mjs');
await build({ entryPoints: [path.join(root, 'scripts/compile-catalog.ts')], outfile: compiler, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { compileCatalog } = await import(pathToFileURL(compiler).href);
compileCatalog(root);
rmSync(compiler);

// cli-table3 measures every cell line with string-width@4, which compiles two large regular
// expressions on every call: a table with Chinese text took 20-150 ms to draw. In the bundle,
// string-width is replaced by ges-err's own displayWidth (same East Asian Width rules, SGR-aware),
// so tables render in well under a millisecond and measure exactly as our wrapping does.
const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, () => ({ path: 'string-width', namespace: 'ges-err-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'ges-err-shim' }, () => ({
      contents: `module.exports = require(${JSON.stringify(path.join(root, 'src/render/width.ts'))}).displayWidth;`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

// cli-table3@0.6 also truncates every cell's whole content to 10 columns on every line it draws,
// only to build a debug message it then discards; with wide characters that truncation is
// quadratic (it trims one character at a time and re-measures). Drop that one statement.
const CELL_DEBUG = 'let content = utils.truncate(this.content, 10, this.truncate);';
const skipCellDebugTruncate = {
  name: 'skip-cell-debug-truncate',
  setup(b) {
    b.onLoad({ filter: /cli-table3[\\/]src[\\/]cell\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(CELL_DEBUG)) throw new Error('cli-table3 changed: review the cell.js patch in scripts/build.mjs');
      return { contents: source.replace(CELL_DEBUG, "let content = '';"), loader: 'js' };
    });
  },
};

// Third-party modules that only some runs need (cli-table3 for tables on a terminal, chalk for colour,
// fuse.js for free text, commander for help and unusual command lines) are built into their own files,
// dist/vendor/*.cjs, which the CLI bundle requires on first use: a lookup neither reads nor runs them.
// Evaluating chalk alone cost several ms, because its colour detection loads node:tty and node:net.
// The source imports them normally (tests and the library see the real modules). In the CLI bundle,
// commander (already imported only by the lazily loaded program.ts) is simply external; the others
// resolve to a stand-in whose exports forward to the real module, loaded on first use. The stand-ins
// export only the names listed here: importing any other name fails the build, never a run.
const VENDOR = {
  'cli-table3': { default: 'm' },
  chalk: { Chalk: 'm.Chalk' },
  'fuse.js': { default: '(m.default ?? m)' },
  commander: null,
};
const vendorFile = (name) => `./vendor/${name.replace(/[^a-z0-9.]+/gi, '-')}.cjs`;
const vendorModules = {
  name: 'vendor-modules',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(VENDOR).map((m) => m.replace(/[.]/g, '\\.')).join('|')})$`);
    b.onResolve({ filter }, (args) => {
      if (args.namespace === 'ges-err-lazy' || VENDOR[args.path] === null) return { path: vendorFile(args.path), external: true };
      return { path: args.path, namespace: 'ges-err-lazy' };
    });
    b.onLoad({ filter: /.*/, namespace: 'ges-err-lazy' }, (args) => {
      const lines = [
        'const lazy = (load) => {',
        '  let v;',
        '  const get = () => (v ??= load());',
        '  return new Proxy(function lazyModule() {}, {',
        '    construct: (_, a) => Reflect.construct(get(), a),',
        '    apply: (_, self, a) => Reflect.apply(get(), self, a),',
        '    get: (_, k) => get()[k],',
        '  });',
        '};',
        `const real = () => require(${JSON.stringify(args.path)});`,
        ...Object.entries(VENDOR[args.path]).map(([name, pick]) =>
          name === 'default' ? `export default lazy(() => { const m = real(); return ${pick}; });` : `export const ${name} = lazy(() => { const m = real(); return ${pick}; });`,
        ),
      ];
      return { contents: lines.join('\n'), loader: 'js', resolveDir: root };
    });
  },
};

/**
 * A file of code as the build writes it to dist/: ended by the stamp that bin/ges-err.cjs keys its
 * code caches by, a line naming a hash of everything before it.
 */
const stamped = (code) => {
  const body = code.endsWith('\n') ? code : `${code}\n`;
  return `${body}// ges-err build ${createHash('sha256').update(body).digest('hex').slice(0, 16)}\n`;
};

// Every file the loader runs (the bundles and dist/vendor/*.cjs) is written as the function it calls
// (bin/ges-err.cjs, PREWRAPPED): compiled as a script, the file's value is that function, so the
// loader passes V8 the file's text as it is. Wrapping it at run time made a rope of the whole bundle,
// which V8 copied flat before compiling (~75 KB of the young generation, kept for the run, on every
// run). The same file is still a CommonJS module: there `arguments` is the module wrapper's, and the
// function is called with them (require(), and `node dist/ges-err.cjs`, work as before). The prefix
// is the loader's own constant, read from it, so that the two cannot drift apart.
const LOADER_PREFIX = (() => {
  const m = /^const PREWRAPPED = '(.*)';$/m.exec(readFileSync(path.join(root, 'bin/ges-err.cjs'), 'utf8'));
  if (!m) throw new Error('bin/ges-err.cjs has no PREWRAPPED constant: the build cannot write the bundles as the loader expects');
  return m[1];
})();
const forLoader = (code) => stamped(`${LOADER_PREFIX}${code}${code.endsWith('\n') ? '' : '\n'}}));`);

// ges-err decides colour itself (src/render/style.ts: --color, NO_COLOR, FORCE_COLOR, a terminal)
// and tells chalk the level; chalk's own detection, run when chalk loads, loads node:os and
// node:tty (and node:net behind it) for nothing: its module is replaced by one that detects nothing.
// cli-table3 colours a table's borders through @colors/colors, whose loading detects colour support
// again and defines every style; ges-err asks only for 'gray' (makeStyle), and only when colour is
// on: the stand-in has that style, as @colors/colors writes a border (an empty one stays empty; any
// other style name would fail, and cli-table3 then draws the border plain). test/cli.test.ts
// compares what the build draws on a terminal with what the real modules draw.
const NO_COLOUR_DETECTION = {
  '#supports-color': 'export default { stdout: false, stderr: false };',
  '@colors/colors/safe': "module.exports = { gray: (s) => (s ? '\\u001b[90m' + s + '\\u001b[39m' : s) };",
};
const noColourDetection = {
  name: 'no-colour-detection',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(NO_COLOUR_DETECTION).map((k) => k.replace(/[/#@.]/g, (c) => `\\${c}`)).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'ges-err-no-colour-detection' }));
    b.onLoad({ filter: /.*/, namespace: 'ges-err-no-colour-detection' }, (args) => ({ contents: NO_COLOUR_DETECTION[args.path], loader: 'js' }));
  },
};

for (const name of Object.keys(VENDOR)) {
  await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: 'js' },
    plugins: [fastStringWidth, skipCellDebugTruncate, noColourDetection],
    outfile: path.join(root, 'dist', vendorFile(name)),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: !process.env.GES_ERR_NO_MINIFY,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const file = path.join(root, 'dist', vendorFile(name));
  writeFileSync(file, forLoader(readFileSync(file, 'utf8')));
}

// The CLI bundles (see src/bundle.ts): the full one, dist/ges-err.cjs, and partial ones for the
// common runs, dist/ges-err-NAME.cjs, which leave out the code of the commands they do not serve.
// Each is given its own V8 code cache, made by a run of the kind it serves (bin/ges-err.cjs picks a
// bundle per run and uses a cache only for these exact bytes and this V8). USER_CATALOG stands for a
// small user catalog the build writes (sampleUserCatalog).
const USER_CATALOG = Symbol('user catalog');
const BUNDLES = {
  full: { file: 'ges-err.cjs', run: ['GES.7018'] },
  lookup: { file: 'ges-err-lookup.cjs', run: ['GES.7018'] },
  search: { file: 'ges-err-search.cjs', run: ['search', 'quota'] },
  'user-search': { file: 'ges-err-user-search.cjs', run: ['--catalog', USER_CATALOG, 'search', 'quota'] },
  list: { file: 'ges-err-list.cjs', run: ['list'] },
  text: { file: 'ges-err-text.cjs', run: ['graph not running'] },
  // What `curl -si ... | ges-err` pipes in: a status line, headers with a request id, a JSON body.
  diagnose: {
    file: 'ges-err-diagnose.cjs',
    run: [],
    input: 'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Request-Id: 0f3c9a7e5d2b4c6a8e1f3b5d7c9a2e4f\r\n\r\n{"errorCode":"GES.7018","errorMessage":"The number of graphs reaches the upper limit."}\n',
  },
};

async function buildCli(name, outfile) {
  const cli = await build({
    entryPoints: [path.join(root, 'src/main.ts')],
    plugins: [vendorModules],
    outfile,
    bundle: true,
    // import() would start Node's ESM loader, and vm.Script (bin/ges-err.cjs) has no callback for it:
    // every dynamic import becomes a require().
    supported: { 'dynamic-import': false },
    minifySyntax: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    legalComments: 'inline',
    // __GES_ERR_CJS__ tells bundled.ts and prebuilt.ts to find their files with __dirname; the ESM
    // build must use import.meta.url even where a global __dirname exists (`node -e`).
    define: { ...define, __GES_ERR_CJS__: 'true', __GES_ERR_BUNDLE__: JSON.stringify(name) },
    // bundled.ts picks __dirname in this format; its import.meta branch is for the ESM builds.
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
  });
  // A default or namespace import of a Node built-in (`import fs from 'node:fs'`) becomes
  // __toESM(require("node:fs"), 1), which copies every export of the module onto a new object with
  // a getter each, at start-up, once per importing module (~0.4 ms for node:fs). A built-in has no
  // ES-module semantics to emulate: an object that inherits from the module and names it `default`
  // reads the same. (Named imports, `import { readFileSync } from 'node:fs'`, need no wrapper.)
  let text = cli.outputFiles[0].text.replace(/__toESM\((require\("(?:node:)?[a-z_/]+"\)), 1\)/g, '__builtinESM($1)');
  text = text.replace('var __toESM = ', 'var __builtinESM = (mod) => ({ __proto__: mod, default: mod });\nvar __toESM = ');
  // The loader hands each bundle its own require (making one for the bundle's path cost ~0.15 ms),
  // so files beside the bundle are required by absolute path: __dirname is the bundle's folder.
  text = text.replace(/require\("\.\/vendor\//g, 'require(__dirname + "/vendor/');
  if (/require\("\.\.?\//.test(text)) throw new Error(`${path.basename(outfile)} requires a relative path; make it absolute (see scripts/build.mjs)`);
  const min = await transform(text, {
    loader: 'js',
    format: 'cjs',
    target: 'node20',
    minify: !process.env.GES_ERR_NO_MINIFY,
    legalComments: 'external',
  });
  let out = min.code;
  const base = path.basename(outfile);
  if (min.legalComments) {
    writeFileSync(`${outfile}.LEGAL.txt`, min.legalComments);
    out += `/*! For license information please see ${base}.LEGAL.txt */\n`;
  }
  // bin/ges-err.cjs runs the bundle with vm.Script, which has no dynamic-import callback: every
  // import() must have been bundled into a require(). (esbuild leaves only unresolvable ones.)
  if (/\bimport\s*\(/.test(out.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""'))) {
    throw new Error(`dist/${base} contains a dynamic import(); bundle it (or load it with require) so the loader can run it`);
  }
  // One character beyond ASCII anywhere makes the loader's source string a two-byte one: decoding
  // took ~0.25 ms instead of ~0.02 on every run, for twice the memory. esbuild escapes strings, not
  // regular expressions: write such a character as \uXXXX there.
  const wide = /[^\x00-\x7f]/.exec(out);
  if (wide) throw new Error(`${base} holds a character beyond ASCII (U+${wide[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}) in …${out.slice(Math.max(0, wide.index - 40), wide.index + 10)}…; escape it in the source`);
  writeFileSync(outfile, forLoader(out));
}

for (const [name, b] of Object.entries(BUNDLES)) await buildCli(name, path.join(root, 'dist', b.file));

/**
 * A user catalog like a team's own (codes of its services, English and Chinese, a few mentioning a
 * quota), for the run that makes the user-search bundle's cache.
 */
function sampleUserCatalog() {
  const things = [['order', '订单'], ['tenant', '租户'], ['bucket', '桶'], ['job', '作业']];
  const entries = Array.from({ length: 200 }, (_, n) => {
    const [en, zh] = things[n % things.length];
    const quota = n % 25 === 3;
    const variant = {
      httpStatus: quota ? 429 : 404,
      message: quota ? { en: `The ${en} quota is used up.`, zh: `${zh}配额已用完。` } : { en: `The ${en} does not exist.`, zh: `${zh}不存在。` },
      remediation: { en: ['Check the request parameters and try again.'], zh: ['检查请求参数后重试。'] },
    };
    if (n % 2) variant.description = { en: `The ${en} named in request ${n} cannot be used.` };
    return { code: `ACME.${String(10000 + n)}`, variants: [variant] };
  });
  return { schemaVersion: 1, id: 'build-sample', family: 'acme', familyName: { en: 'Sample services', zh: '示例服务' }, version: '1', entries };
}

// Pages (src/pages.ts): the output of `ges-err CODE` and `ges-err --json CODE` to a pipe, for every
// bundled code, rendered by the full bundle's own run (src/main.ts, writePages) and printed by
// bin/ges-err.cjs for exactly such runs without loading any bundle; and each code's free-text result
// with its "Matched" line left open. Written afresh: a page of a code no longer in the catalog must
// not outlive it. Written before the code caches are made: the text bundle's run, which makes its
// cache, prints from the pages (without them it would render, and its cache hold the renderer's code).
{
  const pages = path.join(root, 'dist', 'pages');
  rmSync(pages, { recursive: true, force: true });
  // No code cache written anywhere by this run (GES_ERR_NO_CACHE): the full bundle's is made below.
  const env = { ...process.env, GES_ERR_WRITE_PAGES: pages, GES_ERR_BUNDLE: 'full', GES_ERR_NO_CACHE: '1' };
  delete env.NODE_OPTIONS;
  execFileSync(process.execPath, [path.join(root, 'bin/ges-err.cjs')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

// Without NODE_OPTIONS, whose flags would make V8 reject the caches. A run with the user catalog is
// preceded by one that validates it and keeps it as a pack in the build's own cache folder.
for (const [name, b] of Object.entries(BUNDLES)) {
  const args = b.run.map((a) => (a === USER_CATALOG ? userCatalog : a));
  const env = { ...process.env, GES_ERR_BUNDLE: name, NO_COLOR: '1', XDG_CACHE_HOME: scratch };
  for (const k of ['NODE_OPTIONS', 'GES_ERR_CATALOG', 'GES_ERR_NO_CACHE']) delete env[k];
  const ges = (extra) =>
    execFileSync(process.execPath, [path.join(root, 'bin/ges-err.cjs'), ...args], {
      env: { ...env, ...extra },
      stdio: [b.input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
      ...(b.input !== undefined && { input: b.input }),
    });
  if (b.run.includes(USER_CATALOG)) {
    const wait = userCatalogWritten + 3500 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    ges({});
    if (!existsSync(path.join(scratch, 'ges-err', 'catalogs'))) throw new Error('the sample user catalog was not kept as a pack; see RACY_MS in src/catalog/cache.ts');
  }
  ges({ GES_ERR_WRITE_CODE_CACHE: '1' });
  // The loader writes a cache only for a stamped bundle (see stamped()): none would mean every run compiles.
  if (!existsSync(path.join(root, 'dist', `${b.file}.cache`))) throw new Error(`no code cache was written for dist/${b.file}`);
}

await build({
  entryPoints: [path.join(root, 'src/index.ts')],
  outfile: path.join(root, 'dist/index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  define: { ...define, __GES_ERR_CJS__: 'false' },
  logLevel: 'warning',
});

// Type declarations for the library API.
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
