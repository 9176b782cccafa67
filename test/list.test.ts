// `ges-err list [PREFIX]`: every code, one family, or the codes under a prefix however it is written
// (GES.70, GES.7*, ges-70, full-width, a bare number), with --family / --status, in every format.

import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog, type Catalog } from '../src/catalog/load.js';
import { listCodes } from '../src/list.js';
import { ANSI_ESCAPE, forbidding, readFixture, runFake, spawnCli } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());
const all = catalog.entries.map((e) => e.code);
const list = (prefix?: string, opts: { family?: string; status?: string } = {}) => listCodes(catalog, prefix, opts).entries.map((e) => e.code);
/** Codes printed by the plain format: the first word of every line that is not a family heading. */
const printed = (stdout: string) => stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]);

describe('listCodes', () => {
  it('lists every code without a prefix, in catalog order', () => {
    expect(list()).toEqual(all);
  });

  it.each(['GES.70', 'GES.7*', 'ges-70', 'ges.70*', 'GES 70', 'ＧＥＳ．７０', '70', '70*'])('lists exactly the GES.70xx codes for %j', (prefix) => {
    const want = all.filter((c) => /^GES\.70\d\d$/.test(c));
    expect(want.length).toBeGreaterThan(50);
    expect(list(prefix)).toEqual(want);
  });

  it.each([
    ['GES', (c: string) => c.startsWith('GES.')],
    ['APIGW', (c: string) => c.startsWith('APIGW.')],
    ['apigw', (c: string) => c.startsWith('APIGW.')],
    ['GES.8', (c: string) => c.startsWith('GES.8')],
    ['APIGW.03', (c: string) => c.startsWith('APIGW.03')],
    ['GES.7018', (c: string) => c === 'GES.7018'],
    ['0201', (c: string) => c.endsWith('.0201')],
    ['ges-service', (c: string) => catalog.byCode.get(c)!.catalog.family === 'ges-service'],
  ])('lists %j', (prefix, keep) => {
    const want = all.filter(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(list(prefix)).toEqual(want);
  });

  it.each(['GES.99', 'FOO', 'GES.7O', '99*'])('lists nothing for %j', (prefix) => {
    expect(list(prefix)).toEqual([]);
  });

  it('combines a prefix with --family and --status', () => {
    expect(list('GES', { status: '408' })).toEqual(['GES.7005']);
    const fiveHundreds = list(undefined, { family: 'ges-service', status: '5xx' });
    expect(fiveHundreds.length).toBeGreaterThan(0);
    for (const c of fiveHundreds) {
      const e = catalog.byCode.get(c)!;
      expect(e.catalog.family).toBe('ges-service');
      expect(e.variants.some((v) => v.httpStatus !== null && v.httpStatus >= 500)).toBe(true);
    }
    expect(list('GES.70', { family: 'apigw' })).toEqual([]);
  });

  it('counts codes and variants per family', () => {
    const { families } = listCodes(catalog, 'APIGW', {});
    expect(families).toHaveLength(1);
    expect(families[0]).toMatchObject({ family: 'apigw', codes: list('APIGW').length });
    expect(families[0]!.variants).toBeGreaterThan(families[0]!.codes);
  });
});

describe('ges-err list', () => {
  it('GES.70 prints exactly the GES.70xx codes, one line each under a family heading', async () => {
    const r = await runFake(['list', 'GES.70']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('# GES management plane / GES 管理面: 60 codes\n')).toBe(true);
    expect(printed(r.stdout)).toEqual(list('GES.70'));
    expect(r.stdout).toContain('GES.7018  400  The number of graphs or edges reaches the upper limit.  图个数或者边个数达到配额\n');
  });

  it('shows the statuses of every variant and how many variants there are', async () => {
    const r = await runFake(['list', 'APIGW.0201']);
    expect(r.stdout).toContain('APIGW.0201  400,413,414,494,502,504  API request error. (+5 variants)  API请求错误。');
  });

  it('--json lists families and full results', async () => {
    const r = await runFake(['list', 'GES.7*', '--json']);
    const doc = JSON.parse(r.stdout) as { command: string; families: { family: string; codes: number }[]; results: { code: string; remediation: unknown }[] };
    expect(doc.command).toBe('list');
    expect(doc.results.map((x) => x.code)).toEqual(list('GES.7'));
    expect(doc.families).toEqual([expect.objectContaining({ family: 'ges-management', codes: doc.results.length })]);
    expect(doc.results[0]!.remediation).toBeDefined();
  });

  it('--json names each family\'s sources, which every provenance refers to, and the table\'s introduction', async () => {
    type Prov = { source: string | null } | null;
    type Doc = {
      families: { family: string; catalogs: { id: string; user: boolean; sources: { id: string; url: string | null }[]; intro: { en: string | null; zh: string | null }; provenance: { intro: { en: Prov; zh: Prov } } }[] }[];
      results: { code: string; family: string; provenance: Record<string, { en: Prov; zh: Prov }> }[];
    };
    const doc = JSON.parse((await runFake(['list', '--json'])).stdout) as Doc;
    expect(doc.families.map((f) => f.family)).toEqual(['ges-management', 'ges-service', 'apigw', 'ges-undocumented']);
    const sources = new Map(doc.families.map((f) => [f.family, new Set(f.catalogs.flatMap((c) => c.sources.map((s) => s.id)))]));
    let named = 0;
    for (const r of doc.results) {
      for (const field of Object.values(r.provenance)) {
        for (const p of [field.en, field.zh]) {
          if (!p?.source) continue;
          named++;
          expect(sources.get(r.family)!.has(p.source), `${r.code}: source ${p.source}`).toBe(true);
        }
      }
    }
    expect(named).toBeGreaterThan(doc.results.length);
    // The seed's introduction, as the seed has it, and its translation marked as one.
    const mgmt = doc.families[0]!.catalogs[0]!;
    expect(mgmt).toMatchObject({ id: 'ges-management-plane', user: false });
    expect(mgmt.intro.zh).toContain('调用接口出错后,将不会返回结果数据。');
    expect(mgmt.provenance.intro).toEqual({ zh: { origin: 'official', source: 'seed', from: null }, en: { origin: 'translated', source: null, from: 'zh' } });
  });

  it.each([['tsv'], ['md'], ['table']])('--format %s lists the same codes', async (format) => {
    const r = await runFake(['list', 'APIGW.03', '--format', format, '--width', '120']);
    expect(r.status).toBe(0);
    for (const c of list('APIGW.03')) expect(r.stdout).toContain(c);
    expect(r.stdout).not.toContain('APIGW.0201');
  });

  it('--lang picks the message column', async () => {
    const en = await runFake(['list', 'GES.7018', '--lang', 'en']);
    expect(en.stdout).toContain('reaches the upper limit');
    expect(en.stdout).not.toContain('图个数');
    const zh = await runFake(['list', 'GES.7018', '--lang', 'zh']);
    expect(zh.stdout).toContain('图个数或者边个数达到配额');
    expect(zh.stdout).not.toContain('upper limit');
  });

  it('says so and exits 1 when nothing matches; --json still parses', async () => {
    const r = await runFake(['list', 'GES.99']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("ges-err: no code matches 'GES.99'. Try 'ges-err list' for every code.\n");
    const j = await runFake(['list', 'GES.99', '--json']);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ results: [], families: [] });
  });

  it('exits 2 for a bad filter', async () => {
    expect((await runFake(['list', '--status', 'abc'])).status).toBe(2);
    expect((await runFake(['list', '--family', 'nope'])).status).toBe(2);
  });

  it('lists user catalog codes, and sanitizes their text', async () => {
    const evil = JSON.parse(readFixture('queries-user-catalog.json')) as { entries: { variants: { message: { en: string } }[] }[] };
    evil.entries[0]!.variants[0]!.message.en = 'Flux \u001b[2J capacitor';
    const r = await runFake(['list', 'ACME', '--catalog', 'u.json'], { files: { 'u.json': JSON.stringify(evil) } });
    expect(r.status).toBe(0);
    expect(printed(r.stdout)).toEqual(['ACME.0042']);
    expect(r.stdout).not.toMatch(ANSI_ESCAPE);
    expect(r.stdout).toContain('Flux \\x1b[2J capacitor');
  });

  it('works from the built executable, quoted glob and all', () => {
    const r = spawnCli(['list', 'GES.7*']);
    expect(r.status).toBe(0);
    expect(printed(r.stdout)).toEqual(list('GES.7'));
  });
});

describe('a code prefix that few codes have is listed from the code list', () => {
  // In a 50,000-code user catalog `list ORD.1424` parsed the heads of every code (0.56 s) for ten.
  const fresh = () => buildCatalog(loadBundledCatalogs());
  const codesOnly = (c: Catalog): Catalog => forbidding(c, ['entries', 'heads', 'byCode']);

  it.each(['GES.7018', 'GES.701', 'ges-7018', 'ＧＥＳ．７０１', 'APIGW.04'])('%s: the same heads and families, parsing only the codes listed', (prefix) => {
    const want = listCodes(fresh(), prefix, {}, true);
    const got = listCodes(codesOnly(fresh()), prefix, {}, true);
    expect(got.entries.map((e) => [e.code, e.variants.map((v) => [v.httpStatus, v.message])])).toEqual(want.entries.map((e) => [e.code, e.variants.map((v) => [v.httpStatus, v.message])]));
    expect(got.families).toEqual(want.families);
  });

  it('a prefix many codes have still reads the heads in one go', () => {
    expect(() => listCodes(codesOnly(fresh()), 'GES.', {}, true)).toThrow('heads parses every entry');
    expect(listCodes(fresh(), 'GES.', {}, true).entries.length).toBeGreaterThan(100);
  });
});
