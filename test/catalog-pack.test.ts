// The indexed pack (src/catalog/pack.ts) and the lazily built catalog over it must answer exactly as
// the catalog built from validated entries in memory: same entries, order, overrides, families.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog, findByCode, parseUserCatalog, type Catalog, type FamilySummary } from '../src/catalog/load.js';
import type { CatalogEntry } from '../src/catalog/types.js';
import { codesDigest, hashKey, openPack, writePack, PackError, type CatalogPart } from '../src/catalog/pack.js';
import type { ValidatedCatalog } from '../src/catalog/validate.js';
import { parseCode, type CodeQuery } from '../src/code.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ges-err-catalog-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bundled = loadBundledCatalogs() as ValidatedCatalog[];

/** A user catalog that overrides two bundled codes, shares numbers with them, and adds its own. */
const user = parseUserCatalog(
  JSON.stringify({
    schemaVersion: 1,
    id: 'acme',
    family: 'acme',
    familyName: { en: 'ACME', zh: 'ACME' },
    entries: [
      { code: 'GES.7018', variants: [{ httpStatus: 429, message: { en: 'Our own words for 7018.' } }] },
      { code: 'APIGW.0201', variants: [{ httpStatus: 502, message: { en: 'Ours.' } }, { httpStatus: 504, message: { zh: '我们的。' } }] },
      { code: 'ACME.7018', variants: [{ httpStatus: 400, message: { en: 'Same number, other family.' } }] },
      { code: 'acme.0001', variants: [{ httpStatus: null, message: { en: 'Lower-case prefix.' } }] },
    ],
  }),
  'acme.json',
);
const second = parseUserCatalog(
  JSON.stringify({ schemaVersion: 1, id: 'second', entries: [{ code: 'GES.7018', variants: [{ httpStatus: 400, message: { en: 'Second override.' } }] }] }),
  'second.json',
);

function packed(parts: readonly ValidatedCatalog[], name: string): CatalogPart[] {
  const file = path.join(tmp, name);
  writeFileSync(file, writePack(parts));
  return openPack(file)!;
}

/**
 * The merge rules written the plain way (the pre-pack implementation): walk every entry of every
 * part in order; a later entry replaces an earlier one of the same code, which it "overrides".
 */
function reference(parts: readonly ValidatedCatalog[]): Catalog {
  const byCode = new Map<string, CatalogEntry>();
  const order: string[] = [];
  for (const part of parts) {
    for (const entry of part.entries) {
      const key = entry.code.toUpperCase();
      const previous = byCode.get(key);
      if (previous) byCode.set(key, { ...entry, overrides: previous.overrides ?? previous.catalog });
      else {
        byCode.set(key, entry);
        order.push(key);
      }
    }
  }
  const entries = order.map((k) => byCode.get(k)!);
  const byNumber = new Map<string, CatalogEntry[]>();
  const families = new Map<string, FamilySummary>();
  const prefixes = new Set<string>();
  for (const e of entries) {
    const [prefix, number] = e.code.toUpperCase().split('.') as [string, string];
    prefixes.add(prefix);
    byNumber.set(number, [...(byNumber.get(number) ?? []), e]);
    const f = families.get(e.catalog.family) ?? { family: e.catalog.family, familyName: e.catalog.familyName, codes: 0, variants: 0, prefixes: [], catalogs: [] };
    families.set(e.catalog.family, f);
    f.codes++;
    f.variants += e.variants.length;
    if (!f.prefixes.includes(prefix)) f.prefixes.push(prefix);
    if (!f.catalogs.includes(e.catalog)) f.catalogs.push(e.catalog);
  }
  const find = (code: CodeQuery) => (code.prefix === null ? (byNumber.get(code.number) ?? []) : byCode.has(code.canonical) ? [byCode.get(code.canonical)!] : []);
  const candidates = () => undefined;
  const codes = entries.map((e) => e.code);
  const entryAt = (i: number) => entries[i];
  const entryFor = (code: string) => byCode.get(code.toUpperCase());
  const digest = parts.map((p) => codesDigest(p.entries.map((e) => ({ code: e.code, variants: e.variants.length })))).join(' ');
  return { entries, heads: entries, byCode, byNumber, families: [...families.values()], catalogs: parts.map((p) => p.info), prefixes, find, candidates, codes, entryAt, entryFor, codesDigest: digest };
}

/** Everything a command can ask of a catalog, as plain data. */
function observe(c: Catalog, queries: readonly string[]) {
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
  return {
    find: queries.map((q) => findByCode(c, parseCode(q)!).map((e) => plain(e))),
    codes: c.codes,
    entryAt: c.codes.map((_, i) => plain(c.entryAt(i))),
    entryFor: [...c.codes.map((code) => code.toLowerCase()), 'NOPE.0001'].map((code) => {
      const e = c.entryFor(code);
      return e ? plain(e) : null;
    }),
    codesDigest: c.codesDigest,
    heads: c.heads.map((h) => ({ code: h.code, catalog: h.catalog.id, variants: plain(h.variants.map((v) => ({ httpStatus: v.httpStatus, message: v.message }))) })),
    entries: plain(c.entries),
    byCode: [...c.byCode.keys()],
    byNumber: [...c.byNumber].map(([k, v]) => [k, v.map((e) => e.code)]),
    families: plain(c.families),
    prefixes: [...c.prefixes].sort(),
    catalogs: plain(c.catalogs),
  };
}

const QUERIES = ['GES.7018', 'GES.7000', '7018', '0201', 'APIGW.0201', 'ACME.7018', 'ACME.0001', 'GES.9999', '9999', 'XYZ.0001', '0001', 'GES.2067'];

describe('pack', () => {
  it('round-trips every bundled entry head, without building entries', () => {
    const parts = packed(bundled, 'heads.pack');
    parts.forEach((p, pi) => {
      const heads = p.heads();
      expect(heads).toEqual(bundled[pi]!.entries.map((e) => ({ code: e.code, catalog: e.catalog, variants: e.variants.map((v) => ({ httpStatus: v.httpStatus, message: v.message })) })));
      expect(heads[0]!.catalog).toBe(p.info);
    });
  });

  it('round-trips every bundled entry, by index, by code and by number', () => {
    const parts = packed(bundled, 'bundled.pack');
    expect(parts).toHaveLength(bundled.length);
    parts.forEach((p, pi) => {
      const src = bundled[pi]!;
      expect(p.info).toEqual(src.info);
      expect(p.size).toBe(src.entries.length);
      expect(p.codes()).toEqual(src.entries.map((e) => ({ code: e.code, variants: e.variants.length })));
      src.entries.forEach((e, i) => {
        expect(p.find(e.code.toUpperCase())).toBe(i);
        expect(p.findNumber(e.code.split('.')[1]!)).toContain(i);
        expect(p.entry(i)).toEqual(e);
      });
      expect(p.all()).toEqual(src.entries);
      expect(p.find('NOPE.0000')).toBe(-1);
      expect(p.findNumber('99999999')).toEqual([]);
    });
  });

  it('stores entries as ASCII JSON, which reads back as the text it escapes', () => {
    // A search parses a hundred entries: decoded from ASCII, each is a one-byte string, half the
    // memory of the two-byte one a single Chinese character would make of it.
    const wide = parseUserCatalog(
      JSON.stringify({ schemaVersion: 1, id: 'wide', entries: [{ code: 'W.0001', variants: [{ httpStatus: 400, message: { en: 'Smile 😀 and “quote”.', zh: '配额已用完。' } }] }] }),
      'wide.json',
    );
    const file = path.join(tmp, 'wide.pack');
    const bytes = writePack([...bundled, wide]);
    writeFileSync(file, bytes);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8))) as { parts: { entries: [number, number] }[] };
    for (const { entries: [start, length] } of header.parts) {
      expect(bytes.subarray(start, start + length).every((b) => b < 0x80)).toBe(true);
    }
    const parts = openPack(file)!;
    expect(parts.at(-1)!.entry(0)).toEqual(wide.entries[0]);
    parts.slice(0, -1).forEach((p, pi) => expect(p.all()).toEqual(bundled[pi]!.entries));
  });

  it('gives an entry the same identity whether found first or listed first', () => {
    const [p] = packed(bundled, 'identity.pack');
    const one = p!.entry(p!.find('GES.7018'));
    expect(p!.all()[p!.find('GES.7018')]).toBe(one);
  });

  it('handles a catalog with no entries', () => {
    const empty = parseUserCatalog('{"schemaVersion":1,"entries":[]}', 'empty.json');
    const [p] = packed([empty], 'empty.pack');
    expect(p!.size).toBe(0);
    expect(p!.find('GES.7018')).toBe(-1);
    expect(p!.all()).toEqual([]);
    expect(p!.codes()).toEqual([]);
  });

  it('keeps colliding hashes apart', () => {
    // Many codes in a small table force long probe chains; every one must still be found.
    const entries = Array.from({ length: 3000 }, (_, i) => ({ code: `X${i % 7}.${i}`, variants: [{ httpStatus: 400, message: { en: `m${i}` } }] }));
    const big = parseUserCatalog(JSON.stringify({ schemaVersion: 1, entries }), 'many.json');
    const [p] = packed([big], 'many.pack');
    for (const [i, e] of entries.entries()) expect(p!.find(e.code.toUpperCase()), e.code).toBe(i);
    expect(hashKey('')).not.toBe(0);
  });

  it('refuses a damaged or foreign file', () => {
    const good = writePack(bundled);
    const cases: [string, Buffer][] = [
      ['truncated', good.subarray(0, good.length - 100)],
      ['not a pack', Buffer.from('{"schemaVersion":1}')],
      ['bad header', Buffer.concat([good.subarray(0, 12), Buffer.from('{not json'), good.subarray(21)])],
    ];
    for (const [name, bytes] of cases) {
      const file = path.join(tmp, `${name}.pack`);
      writeFileSync(file, bytes);
      expect(() => openPack(file), name).toThrow();
    }
  });

  it('notices damage inside a section when it reads it', () => {
    const file = path.join(tmp, 'garbled.pack');
    const bytes = writePack(bundled);
    // Overwrite the start of the entries of the first part.
    const header = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32LE(8)).toString()) as { parts: { entries: [number, number] }[] };
    bytes.fill(0x7b, header.parts[0]!.entries[0], header.parts[0]!.entries[0] + 50);
    writeFileSync(file, bytes);
    const [p] = openPack(file)!;
    expect(() => p!.all()).toThrow();
    expect(() => p!.entry(0)).toThrow(SyntaxError);
  });

  it('digests code lists: another code, variant count, order or length gives another digest', () => {
    const base = [
      { code: 'GES.7018', variants: 1 },
      { code: 'GES.7000', variants: 2 },
    ];
    const d = codesDigest(base);
    expect(codesDigest(base.map((c) => ({ ...c })))).toBe(d);
    expect(codesDigest([base[1]!, base[0]!])).not.toBe(d);
    expect(codesDigest([{ code: 'GES.7018', variants: 2 }, base[1]!])).not.toBe(d);
    expect(codesDigest([{ code: 'GES.7019', variants: 1 }, base[1]!])).not.toBe(d);
    expect(codesDigest(base.slice(0, 1))).not.toBe(d);
    // A pack keeps each part's digest in its header, as computed from the entries written.
    const parts = packed(bundled, 'digest.pack');
    parts.forEach((p, i) => expect(p.codesDigest).toBe(codesDigest(bundled[i]!.entries.map((e) => ({ code: e.code, variants: e.variants.length })))));
  });

  it('is used only when its key is accepted', () => {
    const file = path.join(tmp, 'keyed.pack');
    writeFileSync(file, writePack(bundled, 'key-1'));
    expect(openPack(file, (k) => k === 'key-2')).toBeUndefined();
    expect(openPack(file, (k) => k === 'key-1')).toHaveLength(bundled.length);
    expect(new PackError('x')).toBeInstanceOf(Error);
  });
});

describe('catalog over packs', () => {
  const cases: [string, () => [Catalog, Catalog]][] = [
    ['bundled only', () => [reference(bundled), buildCatalog(packed(bundled, 'c1.pack'))]],
    ['bundled + a user catalog', () => [reference([...bundled, user]), buildCatalog([...packed(bundled, 'c2.pack'), ...packed([user], 'u2.pack')])]],
    ['bundled + two user catalogs', () => [reference([...bundled, user, second]), buildCatalog([...packed(bundled, 'c3.pack'), ...packed([user], 'u3.pack'), ...packed([second], 's3.pack')])]],
    ['mixed memory and packs', () => [reference([...bundled, user, second]), buildCatalog([...packed(bundled, 'c4.pack'), user, ...packed([second], 's4.pack')])]],
    ['memory only', () => [reference([...bundled, user, second]), buildCatalog([...bundled, user, second])]],
  ];
  it.each(cases)('answers as the merge rules say: %s', (_, make) => {
    const [expected, actual] = make();
    expect(observe(actual, QUERIES)).toEqual(observe(expected, QUERIES));
  });

  it.each(cases)('answers lookups the same before and after the whole catalog is built: %s', (_, make) => {
    const [, pack] = make();
    const before = QUERIES.map((q) => findByCode(pack, parseCode(q)!));
    void pack.entries;
    const after = QUERIES.map((q) => findByCode(pack, parseCode(q)!));
    before.forEach((list, i) => list.forEach((e, j) => expect(after[i]![j]).toBe(e)));
  });

  it('lets the last catalog win and records the first one it overrides', () => {
    const c = buildCatalog([...packed(bundled, 'o.pack'), ...packed([user], 'uo.pack'), ...packed([second], 'so.pack')]);
    const [e] = findByCode(c, parseCode('GES.7018')!);
    expect(e!.variants[0]!.message.en!.text).toBe('Second override.');
    expect(e!.catalog.id).toBe('second');
    expect(e!.overrides!.id).toBe('ges-management-plane');
    const [a] = findByCode(c, parseCode('APIGW.0201')!);
    expect(a!.variants).toHaveLength(2);
    expect(a!.overrides!.family).toBe('apigw');
    expect(findByCode(c, parseCode('7018')!).map((x) => x.code)).toEqual(['GES.7018', 'ACME.7018']);
  });

  it('counts families from the code lists, with overridden codes moved to the winner', () => {
    const c = buildCatalog([...packed(bundled, 'f.pack'), ...packed([user], 'uf.pack')]);
    const fam = Object.fromEntries(c.families.map((f) => [f.family, [f.codes, f.variants]]));
    const mem = Object.fromEntries(reference([...bundled, user]).families.map((f) => [f.family, [f.codes, f.variants]]));
    expect(fam).toEqual(mem);
    expect(fam.acme).toEqual([4, 5]);
    expect(c.prefixes.has('ACME')).toBe(true);
  });

  it('reads only what a lookup needs from a pack', () => {
    // A pack whose entries section is garbage still answers a lookup through the index, as long as
    // the entries it reads are intact: proof that a lookup does not parse the whole section.
    const entries = Array.from({ length: 200 }, (_, i) => ({ code: `ZZ.${1000 + i}`, variants: [{ httpStatus: 400, message: { en: `m${i}` } }] }));
    const big = parseUserCatalog(JSON.stringify({ schemaVersion: 1, entries }), 'z.json');
    const file = path.join(tmp, 'partial.pack');
    const bytes = writePack([big]);
    const header = JSON.parse(bytes.subarray(12, 12 + bytes.readUInt32LE(8)).toString()) as { parts: { entries: [number, number] }[] };
    const text = bytes.subarray(header.parts[0]!.entries[0]).toString('latin1');
    const keep = text.indexOf('"ZZ.1150"');
    bytes.fill(0x23, header.parts[0]!.entries[0] + 1, header.parts[0]!.entries[0] + keep - 20);
    writeFileSync(file, bytes);
    const c = buildCatalog(openPack(file)!);
    expect(findByCode(c, parseCode('ZZ.1150')!)[0]!.variants[0]!.message.en!.text).toBe('m150');
    expect(() => c.entries).toThrow();
  });
});

describe('the built pack', () => {
  it('holds the bundled catalog exactly (dist/catalog.pack, written by npm run build)', () => {
    const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'catalog.pack');
    const parts = openPack(file)!;
    expect(parts.map((p) => p.all())).toEqual(bundled.map((b) => b.entries));
    expect(readFileSync(file).subarray(0, 8).toString()).toBe('GESPACK3');
  });
});

describe('search candidates', () => {
  /** What search does: NFKC and lower case on both sides, field by field. */
  const fold = (s: string) => s.normalize('NFKC').toLowerCase();
  const fields = (e: CatalogEntry): string[] => [
    e.code,
    ...e.variants.flatMap((v) => [v.message.en?.text, v.message.zh?.text, v.description.en?.text, v.description.zh?.text, ...(v.remediation.en?.steps ?? []), ...(v.remediation.zh?.steps ?? []), ...v.notes.flatMap((n) => [n.en?.text, n.zh?.text])]),
    ...e.notes.flatMap((n) => [n.en?.text, n.zh?.text]),
  ].filter((t): t is string => !!t);
  const matches = (e: CatalogEntry, needles: readonly string[]) => needles.every((n) => fields(e).some((f) => fold(f).includes(fold(n))));

  const odd = parseUserCatalog(
    JSON.stringify({
      schemaVersion: 1,
      id: 'odd',
      entries: [
        { code: 'ODD.0001', variants: [{ httpStatus: 400, message: { en: 'Caf\u00e9 is closed.', zh: 'ＧＲＡＰＨ 图已满' } }] },
        { code: 'ODD.0002', variants: [{ httpStatus: 400, message: { en: 'Cafe\u0301 is open.' } }] },
        { code: 'ODD.0003', variants: [{ httpStatus: 400, message: { en: 'ΟΔΟΣ is a Greek word; ﬁle has a ligature.' } }] },
        { code: 'GES.7000', variants: [{ httpStatus: 400, message: { en: 'An override that never mentions the word.' } }] },
      ],
    }),
    'odd.json',
  );
  const all = [...bundled, odd];
  const words = [
    ...new Set(
      all.flatMap((c) => c.entries.flatMap((e) => fields(e).flatMap((f) => [...f.split(/[\s,.;:()"'，。、：；（）]+/), ...[...f].filter((ch) => ch > '\u3000').map((ch, i, a) => ch + (a[i + 1] ?? ''))]))),
    ),
  ].filter((w) => w.length > 0);
  const queries: string[][] = [
    ...words.map((w) => [w]),
    ['quota', 'graph'],
    ['配额', '图'],
    ['CAFE'],
    ['café'],
    ['cafe'],
    ['graph'],
    ['οδος'],
    ['ΟΔΟΣ'],
    ['file'],
    ['GES.70'],
    ['does not exist'],
    ['nothing-matches-this'],
  ];
  const memory = buildCatalog(all);
  const pack = buildCatalog([...packed(bundled, 'cand.pack'), ...packed([odd], 'odd.pack')]);

  it('finds every entry search would match (and packs answer as memory does)', () => {
    const missing: string[] = [];
    let declined = 0;
    for (const q of queries) {
      const got = pack.candidates(q);
      if (got === undefined) {
        // Only needles with combining marks once decomposed (accented letters) are declined.
        expect(q.some((w) => /\p{M}/u.test(w.normalize('NFKD'))), q.join(' ')).toBe(true);
        expect(memory.candidates(q)).toBeUndefined();
        declined++;
        continue;
      }
      expect(got.map((e) => e.code), q.join(' ')).toEqual(memory.candidates(q)!.map((e) => e.code));
      const codes = new Set(got.map((e) => e.code));
      for (const e of memory.entries) if (matches(e, q) && !codes.has(e.code)) missing.push(`${q.join(' ')} -> ${e.code}`);
    }
    expect(missing).toEqual([]);
    expect(declined).toBeLessThan(queries.length / 50);
  });

  it('adds few entries that do not match', () => {
    let extra = 0;
    let total = 0;
    for (const q of queries) {
      const got = pack.candidates(q);
      if (!got) continue;
      total += got.length;
      extra += got.filter((e) => !matches(e, q)).length;
    }
    expect(extra / total).toBeLessThan(0.05);
  });

  it('returns entries in catalog order, without overridden ones', () => {
    const got = pack.candidates(['graph'])!.map((e) => e.code);
    const order = memory.entries.map((e) => e.code);
    expect(got).toEqual([...got].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    // GES.7000's bundled text mentions a graph; the override that wins does not.
    expect(got).not.toContain('GES.7000');
    expect(pack.candidates(['override that never'])!.map((e) => e.code)).toEqual(['GES.7000']);
  });

  it('declines needles it cannot vouch for', () => {
    expect(pack.candidates(['e\u0301'])).toBeUndefined();
    expect(pack.candidates([''])).toBeUndefined();
  });

  it('reads the text of only the blocks whose trigram filter holds the needles', () => {
    const entries = Array.from({ length: 3200 }, (_, i) => ({
      code: `BLK.${i}`,
      variants: [{ httpStatus: 400, message: { en: i % 500 === 7 ? `The rare zebrafish quota ran out (${i}).` : `Routine message number ${i} about orders and payments.` } }],
    }));
    const big = parseUserCatalog(JSON.stringify({ schemaVersion: 1, entries }), 'blocks.json');
    const [part] = packed([big], 'blocks.pack') as [CatalogPart & { lastScanBytes: number; lastFilterBytes: number }];
    const c = buildCatalog([part]);
    const textBytes = () => part.lastScanBytes;
    const want = entries.filter((_, i) => i % 500 === 7).map((e) => e.code);
    expect(c.candidates(['zebrafish'])!.map((e) => e.code)).toEqual(want);
    const rare = textBytes();
    // The filter is bit-sliced: one row of 13 bytes (a bit for each of the 100 blocks) per trigram
    // of "zebrafish" (7), not the 104 KB of the whole filter.
    expect(part.lastFilterBytes).toBe(7 * 13);
    expect(c.candidates(['routine'])!.length).toBe(3200 - want.length);
    const all = textBytes();
    // 7 of 100 blocks hold the word; a few more may pass by chance.
    expect(rare).toBeGreaterThan(0);
    expect(rare).toBeLessThan(all / 5);
    // Every needle must be in the same entry.
    expect(c.candidates(['zebrafish', 'payments'])).toEqual([]);
    // Needles under three bytes have no trigram: every block is read.
    expect(c.candidates(['ze'])!.map((e) => e.code)).toEqual(want);
    expect(textBytes()).toBe(all);
  });

  it('finds entries in the first block of a filter byte that follows bytes passing no block', () => {
    // The block loop skips filter bytes that are zero, eight blocks at a time: blocks 8, 32 and 64
    // (entries 256, 1024 and 2048) each start a byte right after an empty one; 99 is in the last,
    // partial byte.
    const at = new Set([256, 1024, 2048, 3199]);
    const entries = Array.from({ length: 3200 }, (_, i) => ({
      code: `SKP.${i}`,
      variants: [{ httpStatus: 400, message: { en: at.has(i) ? `A kumquat crate ${i}.` : `Routine message number ${i}.` } }],
    }));
    const c = buildCatalog(packed([parseUserCatalog(JSON.stringify({ schemaVersion: 1, entries }), 'skip.json')], 'skip.pack'));
    expect(c.candidates(['kumquat'])!.map((e) => e.code)).toEqual([...at].map((i) => `SKP.${i}`));
  });

  it('finds matches that straddle the 1 MB read chunks of a large pack', () => {
    const entries = Array.from({ length: 4000 }, (_, i) => ({ code: `BIG.${i}`, variants: [{ httpStatus: 400, message: { en: `${'x'.repeat(300 + (i % 7))} needle${i % 3 === 0 ? 'hay' : ''} ${'y'.repeat(i % 11)}` } }] }));
    const big = parseUserCatalog(JSON.stringify({ schemaVersion: 1, entries }), 'big.json');
    const c = buildCatalog(packed([big], 'big.pack'));
    expect(c.candidates(['needlehay'])!.map((e) => e.code)).toEqual(entries.filter((_, i) => i % 3 === 0).map((e) => e.code));
    expect(c.candidates(['needle'])).toHaveLength(4000);
    expect(c.candidates(['needle', 'hay'])).toHaveLength(Math.ceil(4000 / 3));
  });
});
