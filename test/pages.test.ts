// Pages: the build renders what `ges-err CODE` and `ges-err list` (each also with --json) print to a
// pipe, for every bundled code (dist/pages), and the loader prints such a page instead of loading a
// bundle when a run is exactly that. A page must be the run's output byte for byte, and any run whose output the
// page does not fit (colour forced, a user catalog, other options, a terminal) must not get it.
// Free text to a pipe prints each result from its code's match page, its "Matched" line filled in:
// the same bytes as rendering it.

import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { fillMatchPage, MATCH_PAGE_RENDER, MATCH_SLOT, pageName, renderMatchPage, rendersAsMatchPage } from '../src/pages.js';
import { renderResults } from '../src/render/index.js';
import { makeStyle } from '../src/render/style.js';
import { explainEntry } from '../src/result.js';
import { BIN, ROOT, runFake, spawnCli } from './helpers.js';

const pages = path.join(ROOT, 'dist', 'pages');
const catalog = buildCatalog(loadBundledCatalogs());
const codes = catalog.heads.map((h) => h.code);
/** Every paged run's word and its page's name. */
const words = [...codes.map((c) => [c, c.toUpperCase()] as const), ['list', 'list'] as const];
const tmp = mkdtempSync(path.join(tmpdir(), 'ges-err-pages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A spawned run, with which page (if any) the loader printed, and its output. */
function spawnPage(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const r = spawnCli(args, { env: { GES_ERR_DEBUG_CODE_CACHE: '1', ...env } });
  const lines = r.stderr.split('\n');
  const used = lines.find((l) => l.startsWith('ges-err: page '));
  const stderr = lines.filter((l) => !/^ges-err: (page |\w+ bundle,|the \w+ bundle declined)/.test(l)).join('\n');
  return { page: used ? path.basename(used) : undefined, stdout: r.stdout, stderr, status: r.status };
}

describe('pages', () => {
  it('exist for every bundled code and the listing, and for nothing else', () => {
    const expected = [...words.flatMap(([, name]) => [`${name}.json`, `${name}.txt`]), ...codes.map((c) => `${c.toUpperCase()}.match.txt`)];
    expect(readdirSync(pages).sort()).toEqual(expected.sort());
  });

  it('are what a run prints to a pipe, for every code and the listing, plain and --json', async () => {
    for (const [word, name] of words) {
      for (const [args, ext] of [[[word], 'txt'], [['--json', word], 'json']] as const) {
        const live = await runFake(args);
        expect({ args, status: live.status, stderr: live.stderr }).toEqual({ args, status: 0, stderr: '' });
        expect(readFileSync(path.join(pages, `${name}.${ext}`), 'utf8'), `${args.join(' ')}`).toBe(live.stdout);
      }
    }
  });

  it('are printed by the loader for exactly those runs, the same bytes as the bundles print', () => {
    const served: [string[], string][] = [
      [['GES.7018'], 'GES.7018.txt'],
      [['ges.7018'], 'GES.7018.txt'],
      [['APIGW.0201'], 'APIGW.0201.txt'],
      [['GES.7031', '--json'], 'GES.7031.json'],
      [['--json', 'apigw.0201'], 'APIGW.0201.json'],
      [['list'], 'list.txt'],
      [['list', '--json'], 'list.json'],
      // Full-width forms, as a Chinese IME types them, read as their NFKC form.
      [['ＧＥＳ．７０１８'], 'GES.7018.txt'],
      [['--json', 'ａｐｉｇｗ．０２０１'], 'APIGW.0201.json'],
    ];
    for (const [args, file] of served) {
      const fast = spawnPage(args);
      const bundle = spawnPage(args, { GES_ERR_BUNDLE: 'full' });
      expect({ args, page: fast.page }).toEqual({ args, page: file });
      expect(bundle.page).toBeUndefined();
      expect({ args, ...fast, page: undefined }).toEqual({ args, ...bundle, page: undefined });
    }
  });

  it('are not used where the output would differ: forced colour, a user catalog, other options, unknown codes', () => {
    const user = path.join(tmp, 'override.json');
    writeFileSync(
      user,
      JSON.stringify({
        schemaVersion: 1,
        id: 'override',
        family: 'ges-management',
        familyName: { en: 'GES management plane', zh: 'GES 管理面' },
        entries: [{ code: 'GES.7018', variants: [{ httpStatus: 429, message: { en: 'Overridden here.' } }] }],
      }),
    );
    const cases: { args: string[]; env?: Record<string, string | undefined>; shows: RegExp }[] = [
      { args: ['GES.7018'], env: { FORCE_COLOR: '1', NO_COLOR: undefined }, shows: /\u001b\[/ },
      { args: ['GES.7018'], env: { GES_ERR_CATALOG: user }, shows: /Overridden here\./ },
      { args: ['GES.7018', '--lang', 'en'], shows: /^(?![\s\S]*图个数)[\s\S]*upper limit/ },
      { args: ['GES.7018', '--format', 'md'], shows: /^#/m },
      { args: ['GES.7018', 'GES.7019'], shows: /GES\.7019/ },
      { args: ['GES 7018'], shows: /GES\.7018/ },
      { args: ['list', 'GES.70'], shows: /^(?![\s\S]*APIGW)[\s\S]*GES\.7018/ },
      { args: ['list'], env: { GES_ERR_CATALOG: user }, shows: /Overridden here\./ },
      // Full-width "list" is a word, not the command (free text): NFKC reads only codes.
      { args: ['ｌｉｓｔ'], shows: /^ {2}Matched /m },
    ];
    for (const c of cases) {
      const r = spawnPage(c.args, c.env);
      expect({ args: c.args, page: r.page, status: r.status }).toEqual({ args: c.args, page: undefined, status: 0 });
      expect(r.stdout).toMatch(c.shows);
    }
    const unknown = spawnPage(['GES.9999']);
    expect({ page: unknown.page, status: unknown.status }).toEqual({ page: undefined, status: 1 });
    expect(unknown.stderr).toContain('GES.9999 is not in the catalog');
  });

  it('are not used on a terminal, which gets a table', () => {
    // `script` gives the child a pseudo-terminal for stdout.
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" GES.7018`, '/dev/null'], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, NO_COLOR: '1', GES_ERR_DEBUG_CODE_CACHE: '1', COLUMNS: '100' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('ges-err: page ');
    expect(r.stdout).toContain('lookup bundle');
    expect(r.stdout).toMatch(/[┌│└]/);
  });

  it('end quietly with status 0 when the reader has gone', () => {
    // `true` exits long before Node has started, so the page's write meets a closed pipe.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" GES.7018 | true; echo "status \${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      env: { ...process.env, GES_ERR_DEBUG_CODE_CACHE: '1' },
    });
    expect(r.stdout).toBe('status 0\n');
    expect(r.stderr).toBe(`ges-err: page ${path.join(pages, 'GES.7018.txt')}\n`);
  });
});

describe('match pages', () => {
  const entries = codes.map((c) => catalog.entryFor(c)!);

  it('are what the build wrote, and hold their slot once, where the renderer puts the Matched line', () => {
    for (const e of entries) {
      const page = renderMatchPage(e);
      expect(readFileSync(path.join(pages, pageName(e.code, 'match.txt')), 'utf8'), e.code).toBe(page);
      const lines = page.split('\n');
      expect(lines.filter((l) => l.includes(MATCH_SLOT)), e.code).toHaveLength(1);
      expect(lines[1], e.code).toMatch(/^ {2}Matched {2,}\u0000matched\u0000$/);
    }
  });

  it('filled, are what the renderer draws for the result, for every code', () => {
    const fills: [string[], number][] = [
      [['message.en'], 1],
      [['message.en', 'notes.en', 'notes.zh'], 0.934],
      [['remediation.zh'], 0.3],
    ];
    for (const e of entries) {
      const page = renderMatchPage(e);
      for (const [fields, score] of fills) {
        const drawn = renderResults([{ ...explainEntry(e), score, matchedFields: fields }], MATCH_PAGE_RENDER);
        expect(fillMatchPage(page, fields, score), `${e.code} ${fields.join(',')}`).toBe(drawn);
      }
    }
  });

  it('serve only runs that render as they were rendered: plain, both languages, no colour', () => {
    const o = { ...MATCH_PAGE_RENDER };
    expect(rendersAsMatchPage(o)).toBe(true);
    expect(rendersAsMatchPage({ ...o, columns: 40 })).toBe(true); // plain text is never wrapped
    expect(rendersAsMatchPage({ ...o, format: 'table' })).toBe(false);
    expect(rendersAsMatchPage({ ...o, format: 'json' })).toBe(false);
    expect(rendersAsMatchPage({ ...o, lang: 'en' })).toBe(false);
    expect(rendersAsMatchPage({ ...o, style: makeStyle(true) })).toBe(false);
  });

  // Queries: results from pages (one; several; a note's field; Chinese; a typo), and one whose best
  // variant is not its first (APIGW.0201's 413), which the page does not show first: rendered.
  const queries = ['graph not running', 'graph is not running', '配额', 'grpah not runing', 'quota exceeded', 'request entity too large', 'xyzzy plugh'];

  it('make free text to a pipe print what rendering prints, status and stderr too', async () => {
    for (const q of queries) {
      const built = spawnCli([q]);
      const drawn = await runFake([q]); // from source: no pages, every result rendered
      expect({ q, ...built }).toEqual({ q, ...drawn });
    }
    expect(spawnCli(['request entity too large']).stdout).toMatch(/^APIGW\.0201 {2}HTTP 413 /);
  });

  it('are what free text prints from, where the variants are in their order', () => {
    const dir = mkdtempSync(path.join(tmp, 'copy-'));
    cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
    for (const code of ['GES.7001', 'GES.7015', 'APIGW.0201']) {
      const file = path.join(dir, 'dist', 'pages', pageName(code, 'match.txt'));
      writeFileSync(file, readFileSync(file, 'utf8').replace('  Message ', '  MESSAGE '));
    }
    const copy = (q: string) => spawnSync(process.execPath, [path.join(dir, 'bin/ges-err.cjs'), q], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(copy('graph not running').stdout.match(/^ {2}MESSAGE /gm)).toHaveLength(2);
    // APIGW.0201 with its 413 variant first: rendered, not the edited page.
    const rendered = copy('request entity too large').stdout;
    expect(rendered).toMatch(/^APIGW\.0201 {2}HTTP 413 /);
    expect(rendered).not.toContain('MESSAGE');
    // A page gone: that result is rendered.
    rmSync(path.join(dir, 'dist', 'pages', pageName('GES.7001', 'match.txt')));
    const missing = copy('graph not running');
    expect(missing.status).toBe(0);
    expect(missing.stdout).not.toContain('MESSAGE');
    expect(missing.stdout).toBe(spawnCli(['graph not running']).stdout);
  });
});
