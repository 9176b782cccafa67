// The library API: import { explain, diagnose, search } from 'ges-err'. Typed, and importing it has
// no side effects (no file read, nothing printed, nothing written).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { diagnose, explain, loadCatalog, matchText, search } from '../src/index.js';
import { ROOT, fixture, readFixture } from './helpers.js';

describe('explain', () => {
  it('takes codes written any way and returns results', () => {
    const out = explain(['ges-7018', 'ＧＥＳ．７０００']);
    expect(out.results.map((r) => r.code)).toEqual(['GES.7018', 'GES.7000']);
    expect(out.results[0]!.remediation.zh[0]).toBe('请调用查询配额接口,查看图是否还有可用配额。');
  });
  it('reports unknown codes with suggestions', () => {
    const out = explain('GES.7025');
    expect(out.results).toEqual([]);
    expect(out.notFound[0]!.suggestions.map((s) => s.code)).toContain('GES.7024');
  });
  it('uses extra catalogs given as text', () => {
    const text = readFixture('catalogs/internal.json');
    expect(explain('ACME.0042', { catalogs: [{ text, name: 'internal.json' }] }).results[0]!.catalog.user).toBe(true);
  });
});

describe('search and matchText', () => {
  it('search takes a word, a list of words or a full query', () => {
    expect(search('quota').map((r) => r.code)).toContain('GES.7018');
    expect(search(['graph', 'backup']).map((r) => r.code)).toContain('GES.7019');
    expect(search({ patterns: ['EIP|弹性IP'], regexp: true, family: 'ges-management' }).length).toBeGreaterThan(3);
  });
  it('matchText ranks free text', async () => {
    const hits = await matchText('graph is not runing');
    expect(hits[0]!.code).toBe('GES.7001');
    expect(hits[0]!.score).toBeGreaterThan(0);
  });
});

describe('diagnose', () => {
  const body = readFixture('diagnose/curl-i-crlf.txt');
  it('accepts text, bytes and a stream, with the same answer', async () => {
    const fromText = await diagnose(body);
    const fromBytes = await diagnose(Buffer.from(body));
    const fromStream = await diagnose(Readable.from([Buffer.from(body.slice(0, 50)), Buffer.from(body.slice(50))]));
    for (const d of [fromText, fromBytes, fromStream]) {
      expect(d.results[0]).toMatchObject({ code: 'GES.8000', count: 1, observed: { httpStatus: 404, requestId: '4c1f0e9d8b7a6c5d4e3f2a1b0c9d8e7f', message: 'graph [movies] is not found' } });
    }
  });
  it('rethrows a failing stream', async () => {
    async function* broken() {
      yield Buffer.from('x');
      throw new Error('disk on fire');
    }
    await expect(diagnose(broken())).rejects.toThrow('disk on fire');
  });
  it('reports nothing for text without errors', async () => {
    const d = await diagnose('all good here');
    expect(d.results).toEqual([]);
  });
});

describe('loadCatalog', () => {
  it('counts the families', () => {
    const c = loadCatalog();
    expect(Object.fromEntries(c.families.map((f) => [f.family, f.codes]))).toMatchObject({ 'ges-management': 62, 'ges-service': 64, apigw: 35 });
  });
});

describe('the built package', () => {
  // A consumer project with ges-err installed (symlinked) in its node_modules.
  const consumer = mkdtempSync(path.join(tmpdir(), 'ges-err-consumer-'));
  mkdirSync(path.join(consumer, 'node_modules'));
  symlinkSync(ROOT, path.join(consumer, 'node_modules', 'ges-err'), 'dir');
  writeFileSync(path.join(consumer, 'package.json'), '{"type":"module"}');

  it('imports with no side effects: no file read, no output, nothing written', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ges-err-home-'));
    writeFileSync(
      path.join(consumer, 'trace.cjs'),
      `const fs = require('node:fs');
for (const name of ['readFileSync', 'openSync', 'readFile', 'open', 'writeFileSync', 'mkdirSync']) {
  const orig = fs[name];
  fs[name] = function (p, ...rest) { if (String(p).includes('ges-err') || String(p).includes('dist')) process.stderr.write('FS ' + name + ' ' + p + '\\n'); return orig.call(this, p, ...rest); };
}`,
    );
    const script = "import * as m from 'ges-err'; process.stdout.write(Object.keys(m).sort().join(','));";
    const r = spawnSync(process.execPath, ['--require', './trace.cjs', '--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8', env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache') } });
    expect(r.status).toBe(0);
    expect(r.stdout.split(',')).toEqual(expect.arrayContaining(['diagnose', 'explain', 'search', 'loadCatalog', 'matchText']));
    // Only the module itself is read by the loader; no catalog file, no cache.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('FS ') && !l.endsWith('dist/index.js'))).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
  });

  it('works when imported from an ES module', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "import { explain } from 'ges-err'; console.log(explain('7018').results[0].code)"], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('GES.7018');
  });

  it('finds its catalog when imported from a CommonJS context that has a global __dirname (node -e)', () => {
    const out = execFileSync(process.execPath, ['-e', "import('ges-err').then((m) => console.log(m.explain('7018').results[0].code))"], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('GES.7018');
  });

  it('is typed: a consumer compiles, and a wrong use does not', () => {
    copyFileSync(fixture('consumer/ok.ts'), path.join(consumer, 'ok.ts'));
    copyFileSync(fixture('consumer/bad.ts'), path.join(consumer, 'bad.ts'));
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const opts = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types')];
    const ok = spawnSync(process.execPath, [tsc, ...opts, 'ok.ts'], { cwd: consumer, encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [tsc, ...opts, 'bad.ts'], { cwd: consumer, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/Type 'string' is not assignable to type 'number'/);
  }, 60_000);
});
