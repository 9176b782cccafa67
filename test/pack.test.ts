// A real install: pack the project as npm would publish it, install the tarball into an empty
// prefix, and run the installed ges-err the way a user would.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let files: string[] = [];
let installed = '';

beforeAll(() => {
  const work = mkdtempSync(path.join(tmpdir(), 'ges-err-pack-'));
  // --ignore-scripts: dist/ was built by `npm test`; rebuilding here would race the other test files.
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info[0]!.files.map((f) => f.path).sort();
  const tarball = path.join(work, info[0]!.filename);
  const prefix = path.join(work, 'prefix');
  execFileSync(npm, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8', stdio: 'pipe' });
  installed = path.join(prefix, 'bin', 'ges-err');
}, 180_000);

const runInstalled = (args: string[], input?: string) =>
  spawnSync(installed, args, { encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });

describe('npm pack', () => {
  it('ships only what runs: bin, dist, catalog, README, LICENSE, package.json', () => {
    const top = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'bin', 'catalog', 'dist', 'package.json']);
    expect(files).toContain('dist/ges-err.cjs');
    expect(files).toContain('dist/catalog.pack');
    for (const name of ['ges-err', 'ges-err-lookup', 'ges-err-search', 'ges-err-user-search', 'ges-err-list', 'ges-err-text']) {
      expect(files).toContain(`dist/${name}.cjs`);
      expect(files).toContain(`dist/${name}.cjs.cache`);
    }
    expect(files).toContain('dist/vendor/cli-table3.cjs');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/types/index.d.ts');
    expect(files).toContain('catalog/schema.json');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });
});

describe('the installed ges-err', () => {
  it('explains a code', () => {
    const r = runInstalled(['GES.7018']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('图个数或者边个数达到配额');
  });
  it('searches', () => {
    const r = runInstalled(['search', 'quota', '-l']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toContain('GES.7018');
  });
  it('diagnoses a piped response', () => {
    const r = runInstalled([], '{"error_code":"GES.7000","error_msg":"The graph does not exist or has been deleted."}');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('GES.7000');
  });
  it('imports the library from the installed package', () => {
    const lib = path.join(path.dirname(path.dirname(installed)), 'lib', 'node_modules', 'ges-err', 'dist', 'index.js');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import { explain } from ${JSON.stringify(pathToFileURL(lib).href)}; console.log(explain('GES.7018').results[0].httpStatus)`], { encoding: 'utf8' });
    expect(out.trim()).toBe('400');
  });

  it('is the only thing installed besides its runtime dependencies', () => {
    const modules = readdirSync(path.join(path.dirname(path.dirname(installed)), 'lib', 'node_modules', 'ges-err', 'node_modules')).filter((m) => !m.startsWith('.'));
    for (const dev of ['vitest', 'typescript', 'esbuild', 'ajv', 'fast-check']) expect(modules).not.toContain(dev);
  });
});
