// The bundled catalog is data tested like code: schema-valid, unique sorted codes, no empty text,
// every text's provenance explicit, and the 62 rows of the user's document reproduced exactly.

import { Ajv } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_FILES, loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import type { CatalogFileJson, EntryJson } from '../src/catalog/types.js';
import { validateCatalog } from '../src/catalog/validate.js';
import { ROOT, readFixture } from './helpers.js';

const dir = path.join(ROOT, 'catalog');
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json');
const load = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CatalogFileJson;
const schema = JSON.parse(readFileSync(path.join(dir, 'schema.json'), 'utf8')) as object;
const catalog = buildCatalog(loadBundledCatalogs());

/** Every text-bearing object in a file, with where it is. */
function texts(file: CatalogFileJson): { where: string; value: unknown }[] {
  const out: { where: string; value: unknown }[] = [];
  const walk = (v: unknown, where: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('text' in o || 'steps' in o) out.push({ where, value: o });
      else for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
    }
  };
  walk(file.entries, 'entries');
  if (file.intro) walk(file.intro, 'intro');
  return out;
}

describe('bundled catalog files', () => {
  it('are exactly the files the bundle embeds', () => {
    expect(files.sort()).toEqual([...BUNDLED_FILES].sort());
  });

  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(schema);

  for (const f of files) {
    describe(f, () => {
      const data = load(f);
      it('is valid against catalog/schema.json', () => {
        const ok = validate(data);
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
      });
      it("passes ges-err's own validator (which must agree with the schema)", () => {
        const r = validateCatalog(data, { fallbackId: f });
        expect(r.ok ? [] : r.issues).toEqual([]);
      });
      it('has unique codes in sorted order', () => {
        const codes = data.entries.map((e) => e.code);
        expect(new Set(codes).size).toBe(codes.length);
        expect(codes).toEqual([...codes].sort());
      });
      it('gives every text an explicit origin, and every translation its source language', () => {
        for (const { where, value } of texts(data)) {
          const o = value as { origin?: string; from?: string; text?: string; steps?: string[] };
          expect(o.origin, where).toBeDefined();
          if (o.origin === 'translated') expect(['en', 'zh'], where).toContain(o.from);
          const strings = o.steps ?? [o.text];
          for (const s of strings) {
            expect(typeof s, where).toBe('string');
            expect((s as string).trim(), where).not.toBe('');
            expect(s, where).toBe((s as string).trim());
          }
        }
      });
      it('has a message and remediation steps in both languages for every variant', () => {
        for (const e of data.entries as EntryJson[]) {
          for (const v of e.variants) {
            expect(v.message.en, e.code).toBeDefined();
            expect(v.message.zh, e.code).toBeDefined();
            expect(v.remediation?.en, e.code).toBeDefined();
            expect(v.remediation?.zh, e.code).toBeDefined();
            expect(typeof v.retryable, e.code).toBe('boolean');
          }
        }
      });
    });
  }
});

describe("the user's document (62 management-plane codes)", () => {
  const rows = readFixture('seed-management-plane.txt')
    .split('\n')
    .filter((l) => /^\d{3} \| GES\./.test(l))
    .map((l) => {
      const [status, code, message, description, remediation] = l.split(' | ').map((c) => c.replace(/\s*\|?\s*$/, '').trim());
      return { status: Number(status), code: code!, message: message!, description: description!, remediation: remediation ?? '' };
    });

  it('has 62 rows, and the catalog family has exactly those 62 codes', () => {
    expect(rows).toHaveLength(62);
    const family = catalog.entries.filter((e) => e.catalog.family === 'ges-management').map((e) => e.code);
    expect(family.sort()).toEqual(rows.map((r) => r.code).sort());
  });

  it.each(rows)('$code keeps the seed status, message and description verbatim', (row) => {
    const e = catalog.byCode.get(row.code)!;
    expect(e.variants).toHaveLength(1);
    const v = e.variants[0]!;
    expect(v.httpStatus).toBe(row.status);
    expect(v.message.en?.text).toBe(row.message);
    expect(v.message.en?.origin).toBe('official');
    expect(v.message.zh?.text).toBe(row.description);
    expect(v.message.zh?.origin).toBe('official');
  });

  it.each(rows.filter((r) => r.remediation !== '' && r.code !== 'GES.7031'))('$code keeps the seed remediation verbatim', (row) => {
    const zh = catalog.byCode.get(row.code)!.variants[0]!.remediation.zh!;
    expect(zh.steps.join(' ')).toBe(row.remediation);
    expect(zh.origin).toBe('official');
  });

  it('restores the remediation the seed lost, marked as restored', () => {
    const lost = rows.filter((r) => r.remediation === '' && r.code !== 'GES.0016');
    expect(lost.length).toBeGreaterThan(10);
    for (const r of lost) {
      const zh = catalog.byCode.get(r.code)!.variants[0]!.remediation.zh!;
      expect(zh.origin, r.code).toBe('restored');
      expect(zh.steps.length, r.code).toBeGreaterThan(0);
    }
  });

  it("restores GES.7031's full value list that the seed cut after 取值如下", () => {
    const seed = rows.find((r) => r.code === 'GES.7031')!;
    expect(seed.remediation).toBe('确认弹性IP绑定类型,取值如下:');
    const zh = catalog.byCode.get('GES.7031')!.variants[0]!.remediation.zh!;
    expect(zh.origin).toBe('restored');
    expect(zh.steps.join('\n')).toContain('auto_assign：自动绑定。');
    expect(zh.steps.join('\n')).toContain('bind_existing：使用已有。');
  });

  it("uses Huawei's English remediation for the five codes that have it, and marks every other as a translation", () => {
    const official = catalog.entries.filter((e) => e.catalog.family === 'ges-management' && e.variants[0]!.remediation.en!.origin === 'official').map((e) => e.code);
    expect(official.sort()).toEqual(['GES.0001', 'GES.0016', 'GES.7000', 'GES.7001', 'GES.7002']);
    for (const e of catalog.entries.filter((x) => x.catalog.family === 'ges-management' && !official.includes(x.code))) {
      expect(e.variants[0]!.remediation.en).toMatchObject({ origin: 'translated', from: 'zh' });
    }
  });

  it("translates GES.0016's missing Chinese remediation from the official English, marked as such", () => {
    const v = catalog.byCode.get('GES.0016')!.variants[0]!;
    expect(v.remediation.zh).toMatchObject({ origin: 'translated', from: 'en' });
    expect(v.remediation.zh!.steps).toHaveLength(v.remediation.en!.steps.length);
  });
});

describe('oddities of the sources are kept and flagged', () => {
  const noteKinds = (code: string) => catalog.byCode.get(code)!.notes.map((n) => n.kind);
  it.each([
    ['GES.7067', 'oddity'],
    ['GES.7051', 'overlap'],
    ['GES.7015', 'overlap'],
    ['GES.7059', 'operator'],
    ['GES.7061', 'operator'],
    ['GES.7062', 'operator'],
    ['GES.7063', 'operator'],
    ['GES.7010', 'typo'],
    ['GES.8102', 'typo'],
    ['GES.8201', 'typo'],
    ['GES.8012', 'example'],
    ['GES.8001', 'example'],
    ['GES.2067', 'undocumented'],
  ])('%s carries a %s note', (code, kind) => {
    expect(noteKinds(code)).toContain(kind);
  });

  it('keeps the odd source text verbatim next to the flag', () => {
    expect(catalog.byCode.get('GES.7010')!.variants[0]!.message.zh!.text).toBe('图模式文件和数据校文件验失败');
    const r7066 = catalog.byCode.get('GES.7066')!.variants[0]!.remediation.zh!.steps;
    expect(catalog.byCode.get('GES.7067')!.variants[0]!.remediation.zh!.steps).toEqual(r7066);
    expect(catalog.byCode.get('GES.8102')!.variants[0]!.remediation.zh!.steps[0]).toContain('josn');
  });

  it('writes every note in both languages, as editorial text', () => {
    for (const e of catalog.entries) {
      for (const n of [...e.notes, ...e.variants.flatMap((v) => v.notes)]) {
        expect(n.en?.text, e.code).toBeTruthy();
        expect(n.zh?.text, e.code).toBeTruthy();
        if (n.kind !== 'superseded') expect(n.en?.origin, e.code).toBe('editorial');
      }
    }
  });
});
