// Build: bundle the CLI into one CommonJS file (dist/ges-err.cjs; CommonJS skips the ESM loader's
// start-up cost), bundle the library entry as ESM (dist/index.js) and emit its type declarations.
// Runs on `npm install` (prepare) and before the tests.

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const define = { __GES_ERR_VERSION__: JSON.stringify(pkg.version), __GES_ERR_PRECOMPILED__: 'true' };

rmSync(path.join(root, 'dist'), { recursive: true, force: true });

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

await build({
  entryPoints: [path.join(root, 'src/main.ts')],
  plugins: [fastStringWidth, skipCellDebugTruncate],
  outfile: path.join(root, 'dist/ges-err.cjs'),
  bundle: true,
  // fuse.js is needed only to correct a mistyped word in a free-text query: it stays in
  // node_modules (a dependency) and is required then, so that no other run parses its code.
  external: ['fuse.js'],
  // ... with require(), not import(): import() would start Node's ESM loader, a cost of its own.
  supported: { 'dynamic-import': false },
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: !process.env.GES_ERR_NO_MINIFY,
  legalComments: 'linked',
  define,
  // bundled.ts picks __dirname in this format; its import.meta branch is for the ESM builds.
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
});

await build({
  entryPoints: [path.join(root, 'src/index.ts')],
  outfile: path.join(root, 'dist/index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  define,
  logLevel: 'warning',
});

// Type declarations for the library API.
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
