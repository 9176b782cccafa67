// grep-style search: the engine (AND across fields and languages, smart case, -w with Chinese
// boundaries, regular expressions and their errors, filters, codes), the compact output and its
// highlighting, the -l/-c/-q/--json modes and exit statuses, and the index the build writes.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog, parseUserCatalog, type Catalog } from '../src/catalog/load.js';
import { openPack, writePack } from '../src/catalog/pack.js';
import type { ValidatedCatalog } from '../src/catalog/validate.js';
import type { CatalogEntry } from '../src/catalog/types.js';
import { isWholeWord } from '../src/fields.js';
import { clipLine, highlight, matchingLines, renderSearchHits } from '../src/render/highlight.js';
import { PLAIN_STYLE, type Style } from '../src/render/style.js';
import { displayWidth } from '../src/render/width.js';
import { buildSearchIndexData, decodeSearchIndex, encodeSearchIndex, explainRegexError, hasCapital, PatternError, searchCatalog, type SearchOptions, type SearchQuery } from '../src/search.js';
import { ANSI_ESCAPE, readFixture, runFake, spawnCli, withoutEntries } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());
// The index the build writes, as the bundle reads it (through its bytes).
const index = decodeSearchIndex(encodeSearchIndex(buildSearchIndexData(catalog)))!;

const codes = (q: SearchQuery, withIndex = false) => searchCatalog(catalog, q, withIndex ? { index } : {}).map((h) => h.entry.code);

/** Every text of an entry, the plain way (an oracle independent of fields.ts and its folding). */
function allText(e: CatalogEntry): string {
  const parts: string[] = [e.code];
  for (const n of e.notes) parts.push(n.en?.text ?? '', n.zh?.text ?? '');
  for (const v of e.variants) {
    for (const l of ['en', 'zh'] as const) {
      parts.push(v.message[l]?.text ?? '', v.description[l]?.text ?? '', ...(v.remediation[l]?.steps ?? []));
      for (const n of v.notes) parts.push(n[l]?.text ?? '');
    }
  }
  return parts.join('\n');
}

const grep = (word: string, caseSensitive: boolean) =>
  catalog.entries.filter((e) => (caseSensitive ? allText(e).includes(word) : allText(e).toLowerCase().includes(word.toLowerCase()))).map((e) => e.code);

describe('search engine', () => {
  it.each(['quota', '配额', 'backend', 'token', 'errorMessage', 'Gremlin', 'IAAS', '弹性IP', 'x86_64', '12 MB'])(
    'finds exactly the codes whose text contains %j (smart case)',
    (word) => {
      const sensitive = /\p{Lu}/u.test(word);
      const want = grep(word, sensitive);
      expect(want.length).toBeGreaterThan(0);
      expect(codes({ patterns: [word] })).toEqual(want);
      expect(codes({ patterns: [word] }, true)).toEqual(want);
    },
  );

  it('calls a pattern case-sensitive when it holds a capital letter, in any script or width', () => {
    for (const [p, want] of [
      ['quota', false], ['Quota', true], ['配额', false], ['弹性IP', true], ['ＩＡＭ', true], ['été', false], ['Été', true],
      ['ΣΊΣΥΦΟΣ', true], ['σίσυφος', false], ['\u1f88', false], // ᾈ: a titlecase letter, no capital
    ] as const) {
      expect(hasCapital(p, false), p).toBe(want);
    }
    // In a regular expression, escapes are not letters.
    expect(hasCapital('\\D+\\p{Lu}', true)).toBe(false);
    expect(hasCapital('\\d+X', true)).toBe(true);
  });

  it('gives each code once, in catalog order, whichever pattern matched its first field', () => {
    // 'ges.70' matches codes (each entry's first field), 'graph' later fields: the hits must not
    // split an entry in two or fall out of order when a later pattern matches an earlier field.
    for (const withIndex of [false, true]) {
      const hits = searchCatalog(catalog, { patterns: ['graph', 'ges.70'] }, withIndex ? { index } : {});
      const want = grep('graph', false).filter((c) => grep('ges.70', false).includes(c));
      expect(want.length).toBeGreaterThan(10);
      expect(hits.map((h) => h.entry.code)).toEqual(want);
      for (const h of hits) expect(h.matchedFields[0], h.entry.code).toBe('code');
    }
  });

  it('needs every pattern to match, each in any field and either language', () => {
    // "配额" is in the Chinese message, "IAM" only in the English remediation.
    expect(codes({ patterns: ['配额', 'IAM'] })).toEqual(['GES.7029']);
    expect(codes({ patterns: ['EIP', 'quota'] })).toEqual(['GES.7032']);
    const both = codes({ patterns: ['graph', 'backup'] });
    expect(both).toEqual(codes({ patterns: ['graph'] }).filter((c) => codes({ patterns: ['backup'] }).includes(c)));
    expect(codes({ patterns: ['quota', 'gremlin'] })).toEqual([]);
  });

  it('is case-insensitive unless a pattern has a capital; -i and -s override', () => {
    expect(codes({ patterns: ['graph'] })).toEqual(grep('graph', false));
    expect(codes({ patterns: ['Graph'] })).toEqual(grep('Graph', true));
    expect(codes({ patterns: ['Graph'] }).length).toBeLessThan(codes({ patterns: ['graph'] }).length);
    expect(codes({ patterns: ['Graph'], caseMode: 'insensitive' })).toEqual(grep('graph', false));
    expect(codes({ patterns: ['graph'], caseMode: 'sensitive' })).toEqual(grep('graph', true));
    expect(codes({ patterns: ['graph'], caseMode: 'sensitive' }, true)).toEqual(grep('graph', true));
  });

  it('folds full-width letters and punctuation in patterns and text (NFKC)', () => {
    expect(codes({ patterns: ['ｑｕｏｔａ'] })).toEqual(codes({ patterns: ['quota'] }));
    // The catalog writes "（细粒度授权时）" with full-width brackets; either form finds it.
    expect(codes({ patterns: ['(细粒度'] })).toEqual(['GES.8020']);
    expect(codes({ patterns: ['（细粒度'] })).toEqual(['GES.8020']);
    expect(codes({ patterns: ['（细粒度'], regexp: true })).toEqual(['GES.8020']);
  });

  it('searches the codes themselves', () => {
    expect(codes({ patterns: ['7018'] })).toContain('GES.7018');
    const ges70 = catalog.entries.filter((e) => e.code.startsWith('GES.70')).map((e) => e.code);
    const hits = codes({ patterns: ['GES.70'] });
    expect(hits).toEqual(expect.arrayContaining(ges70));
    // Anything else only names such a code in its text (a note about an overlap, say).
    for (const c of hits.filter((h) => !h.startsWith('GES.70'))) expect(allText(catalog.byCode.get(c)!)).toContain('GES.70');
  });

  it('takes literal strings by default: regex syntax is text', () => {
    expect(codes({ patterns: ['{xxx}'] })).toEqual(['APIGW.0607']);
    expect(codes({ patterns: ['K-Hop'] })).toEqual(['GES.8806']);
    expect(codes({ patterns: ['a.c'] })).toEqual(grep('a.c', false));
  });

  it('takes regular expressions with -E, ^ and $ at each line of a field', () => {
    expect(codes({ patterns: ['EIP|弹性IP'], regexp: true })).toEqual(catalog.entries.filter((e) => /EIP|弹性IP/.test(allText(e))).map((e) => e.code));
    const hits = codes({ patterns: ['^Check whether the token'], regexp: true });
    expect(hits).toEqual(expect.arrayContaining(['GES.8002', 'GES.8007']));
    for (const c of hits) expect(allText(catalog.byCode.get(c)!)).toMatch(/(^|\n)Check whether the token/);
    expect(codes({ patterns: ['quota\\b'], regexp: true })).toEqual(grep('quota', false));
    // What the u flag rejects but grep -E takes as literal text.
    expect(() => codes({ patterns: ['a{'], regexp: true })).not.toThrow();
  });

  it.each([
    ['a(', 'missing )'],
    ['[a', 'missing ]'],
    [')', 'unmatched )'],
    ['*a', 'nothing to repeat'],
    ['a{2,1}', 'numbers out of order'],
    ['x\\', 'trailing backslash'],
    ['[z-a]', 'range out of order'],
  ])('explains the invalid regular expression %j', (pattern, words) => {
    let err: unknown;
    try {
      codes({ patterns: [pattern], regexp: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatternError);
    expect((err as Error).message).toMatch(new RegExp(`^invalid regular expression '${pattern.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}': ${words.replace(/[()]/g, '\\$&')}`));
  });

  it('puts an unknown engine message into words without the engine noise', () => {
    expect(explainRegexError('Invalid regular expression: /(?<=a/u: Something new')).toBe('something new');
  });

  it('rejects an empty pattern', () => {
    expect(() => codes({ patterns: [''] })).toThrow(PatternError);
  });

  it('matches whole words with -w; in Chinese a word ends at punctuation or a change of script', () => {
    const plain = codes({ patterns: ['id'] });
    const whole = codes({ patterns: ['id'], wholeWord: true });
    expect(whole.every((c) => plain.includes(c))).toBe(true);
    expect(plain).toContain('GES.7015'); // only "GraphID" and "invalid"
    expect(whole).not.toContain('GES.7015');
    expect(whole).toContain('GES.7033'); // "Invalid EIP ID."
    // "弹性IP绑定类型": IP stands between two scripts, 绑定 runs on into 类型.
    expect(codes({ patterns: ['IP'], wholeWord: true })).toContain('GES.7031');
    expect(codes({ patterns: ['绑定'] })).toContain('GES.7031');
    expect(codes({ patterns: ['绑定'], wholeWord: true })).toEqual([]);
    expect(codes({ patterns: ['弹性'], wholeWord: true })).toEqual(['GES.7031', 'GES.7032', 'GES.7033']);
  });

  it.each([
    ['弹性IP绑定', 2, 4, true],
    ['弹性IP绑定类型', 4, 6, false],
    ['弹性IP绑定', 4, 6, true],
    ['弹性IP绑定', 0, 2, true],
    ['GraphID', 5, 7, false],
    ['graph ID.', 6, 8, true],
    ['x86_64', 1, 3, false],
    ['GES.7018', 4, 8, true],
    ['(细粒度授权时)', 1, 4, false],
    ['(细粒度授权时)', 1, 7, true],
  ] as const)('isWholeWord(%j, %i, %i) is %s', (text, start, end, want) => {
    expect(isWholeWord(text, start, end)).toBe(want);
  });

  it('searches only the variants with the asked status, and shows the matching one first', () => {
    expect(codes({ patterns: ['service'], status: '408' })).toEqual(['GES.7005']);
    // APIGW.0201 has a 413 variant (request body too large) and a 502 one (backend): not both at once.
    expect(codes({ patterns: ['backend'], status: '413' })).toEqual([]);
    const [hit] = searchCatalog(catalog, { patterns: ['backend'], status: '504' });
    expect(hit!.entry.code).toBe('APIGW.0201');
    expect(hit!.entry.variants[hit!.variantOrder[0]!]!.httpStatus).toBe(504);
    for (const c of codes({ patterns: ['error'], status: '5xx' })) expect(catalog.byCode.get(c)!.variants.some((v) => (v.httpStatus ?? 0) >= 500)).toBe(true);
  });

  it('filters each match by the entry that holds it, however many fields each entry has', () => {
    // Entries of 1 to 5 fields with the same word, one status each: a match credited to a
    // neighbouring entry (a field-to-entry map off by one) would keep or drop the wrong code.
    const steps = (n: number) => Array.from({ length: n }, (_, i) => `Zebra step ${i + 1}.`);
    const entries = [400, 401, 403, 404, 409, 429].map((status, i) => ({
      code: `ZZ.${1000 + i}`,
      variants: [{ httpStatus: status, message: { en: `Zebra number ${i}.` }, ...(i ? { remediation: { en: steps(i) } } : {}) }],
    }));
    const user = parseUserCatalog(JSON.stringify({ schemaVersion: 1, id: 'zz', family: 'zz', familyName: { en: 'ZZ' }, entries }), 'zz.json');
    const tmpPack = path.join(mkdtempSync(path.join(os.tmpdir(), 'ges-err-owner-')), 'zz.pack');
    writeFileSync(tmpPack, writePack([user]));
    try {
      const inMemory = buildCatalog([user]);
      // The index built by the run (from memory, and from a pack's candidates), and one as the build writes it.
      const ways: [string, Catalog, SearchOptions][] = [
        ['memory', inMemory, {}],
        ['pack', buildCatalog(openPack(tmpPack)!), {}],
        ['build index', inMemory, { index: decodeSearchIndex(encodeSearchIndex(buildSearchIndexData(inMemory)))! }],
      ];
      for (const [way, c, opts] of ways) {
        entries.forEach((e, i) => {
          const status = String(e.variants[0]!.httpStatus);
          // 'zebra' is in the message and the steps; 'zz.10' only in the code, each entry's first field.
          for (const pattern of ['zebra', 'zz.10']) expect(searchCatalog(c, { patterns: [pattern], status }, opts).map((h) => h.entry.code), `${way} ${pattern} ${status}`).toEqual([`ZZ.${1000 + i}`]);
        });
        expect(searchCatalog(c, { patterns: ['zebra'], family: 'zz' }, opts)).toHaveLength(entries.length);
      }
    } finally {
      rmSync(path.dirname(tmpPack), { recursive: true, force: true });
    }
    // The build's index: every bundled hit under a status filter has a variant of that status.
    for (const status of ['400', '404', '429', '500', '502']) {
      const hits = searchCatalog(catalog, { patterns: ['the'], status }, { index });
      expect(hits.map((h) => h.entry.code)).toEqual(codes({ patterns: ['the'], status }));
      for (const h of hits) expect(h.entry.variants.some((v) => String(v.httpStatus) === status), `${h.entry.code} ${status}`).toBe(true);
    }
  });

  it('filters by family id or code prefix', () => {
    const apigw = codes({ patterns: ['backend'], family: 'apigw' });
    expect(apigw.length).toBeGreaterThan(0);
    expect(apigw.every((c) => c.startsWith('APIGW.'))).toBe(true);
    expect(codes({ patterns: ['backend'], family: 'APIGW' })).toEqual(apigw);
    expect(codes({ patterns: ['backend'], family: 'ges-service' }).every((c) => /^GES\.[89]/.test(c))).toBe(true);
  });

  it('reports the fields that matched, and where, in the original text', () => {
    const [hit] = searchCatalog(catalog, { patterns: ['ＢＵＣＫＥＴ'], caseMode: 'insensitive' }, { index });
    expect(hit!.entry.code).toBe('GES.7017');
    expect(hit!.matchedFields).toEqual(['message.en']);
    const m = hit!.matches[0]!;
    expect(m.ranges.map(([s, e]) => m.field.text.slice(s, e))).toEqual(['bucket']);
  });
});

describe('search scope: what a search parses', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ges-err-search-scope-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  // The bundled tables as a user's pack (no build index applies), and the same in memory.
  const file = path.join(tmp, 'user.pack');
  writeFileSync(file, writePack(loadBundledCatalogs() as ValidatedCatalog[]));
  const packCatalog = buildCatalog(openPack(file)!);
  const queries: SearchQuery[] = [
    { patterns: ['quota'] },
    { patterns: ['Quota'] },
    { patterns: ['graph', 'not'] },
    { patterns: ['配额'] },
    { patterns: ['ＢＵＣＫＥＴ'], caseMode: 'insensitive' },
    { patterns: ['name'], wholeWord: true },
    { patterns: ['backend'], status: '504' },
    { patterns: ['error'], family: 'apigw' },
    { patterns: ['GES.70'] },
    { patterns: ['nothing matches this at all'] },
  ];

  it('with literal patterns, parses only the prefilter candidates and finds what a full search finds', () => {
    for (const q of queries) {
      const scoped = searchCatalog(withoutEntries(packCatalog), q);
      const full = searchCatalog(catalog, q);
      expect(scoped.map((h) => h.entry.code), q.patterns.join(' ')).toEqual(full.map((h) => h.entry.code));
      expect(scoped.map((h) => h.matchedFields)).toEqual(full.map((h) => h.matchedFields));
      expect(scoped.map((h) => h.variantOrder)).toEqual(full.map((h) => h.variantOrder));
    }
  });

  it('reads the index back from its bytes as it was written, and refuses bytes of anything else', () => {
    const built = buildSearchIndexData(catalog);
    const bytes = encodeSearchIndex(built);
    expect(decodeSearchIndex(bytes)).toEqual(built);
    expect(decodeSearchIndex(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(decodeSearchIndex(Buffer.concat([bytes, Buffer.from([0])]))).toBeUndefined();
    expect(decodeSearchIndex(Buffer.from('{"version":4}'))).toBeUndefined();
  });

  it('finds, through the bytes of the index, every folded substring where the text search finds it', () => {
    // Needles cut from the catalog's own text at random (a fixed seed): Chinese, full-width and
    // ASCII, often starting after non-ASCII text in their field, where byte and text offsets differ.
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const texts = catalog.entries.flatMap((e) => allText(e).split('\n')).filter((t) => t.length > 3);
    const view = (hits: ReturnType<typeof searchCatalog>) => hits.map((h) => [h.entry.code, h.variantOrder, h.matches.map((m) => [m.field.name, m.field.variant, m.ranges])]);
    let nonAscii = 0;
    for (let i = 0; i < 300; i++) {
      const t = texts[rand(texts.length)]!;
      const start = rand(t.length - 2);
      const needle = t.slice(start, start + 2 + rand(6));
      if (/[^\x00-\x7f]/.test(needle) || /[^\x00-\x7f]/.test(t.slice(0, start))) nonAscii++;
      const q: SearchQuery = { patterns: [needle], wholeWord: i % 5 === 0 };
      expect(view(searchCatalog(catalog, q, { index })), needle).toEqual(view(searchCatalog(catalog, q)));
    }
    expect(nonAscii).toBeGreaterThan(60);
  });

  it('does not use an index built for another catalog', () => {
    const withUser = buildCatalog([...loadBundledCatalogs(), parseUserCatalog(readFixture('queries-user-catalog.json'), 'u.json')]);
    expect(withUser.codesDigest).not.toBe(catalog.codesDigest);
    // The bundled index knows nothing of ACME.0042: a search that used it would miss it.
    expect(searchCatalog(withUser, { patterns: ['capacitor'] }, { index }).map((h) => h.entry.code)).toEqual(['ACME.0042']);
  });

  it('with the build index, parses only the entries that match', () => {
    for (const q of queries) expect(searchCatalog(withoutEntries(catalog), q, { index }).map((h) => h.entry.code)).toEqual(codes(q));
  });

  it('with the build index, places every match in the same field at the same offsets', () => {
    // The index finds a match's field by bisecting the field starts: a wrong field or start would
    // move or drop highlights while the codes stayed right.
    const view = (hits: ReturnType<typeof searchCatalog>) =>
      hits.map((h) => ({ code: h.entry.code, order: h.variantOrder, matches: h.matches.map((m) => [m.field.name, m.field.variant, m.ranges]) }));
    const more: SearchQuery[] = [{ patterns: ['the'] }, { patterns: ['a'] }, { patterns: ['，'] }, { patterns: ['GES'], caseMode: 'sensitive' }, { patterns: ['id', 'graph'] }];
    for (const q of [...queries, ...more]) {
      const withIndex = view(searchCatalog(catalog, q, { index }));
      expect(withIndex, q.patterns.join(' ')).toEqual(view(searchCatalog(catalog, q)));
      if (q.patterns[0] === 'the') expect(withIndex.length).toBeGreaterThan(50);
    }
  });

  it('reads the heads only when a filter needs them', () => {
    const noHeads = Object.create(withoutEntries(catalog), {
      heads: {
        get() {
          throw new Error('search read the heads');
        },
      },
    }) as typeof catalog;
    expect(searchCatalog(noHeads, { patterns: ['quota'] }, { index }).map((h) => h.entry.code)).toEqual(codes({ patterns: ['quota'] }));
    expect(() => searchCatalog(noHeads, { patterns: ['quota'], status: '400' }, { index })).toThrow('search read the heads');
  });

  it('searches every entry for a regular expression, which the prefilter cannot narrow', () => {
    expect(() => searchCatalog(withoutEntries(packCatalog), { patterns: ['quo?ta'], regexp: true })).toThrow('search read every entry');
    expect(searchCatalog(packCatalog, { patterns: ['quo?ta'], regexp: true }).map((h) => h.entry.code)).toEqual(codes({ patterns: ['quo?ta'], regexp: true }));
  });
});

const MARK: Style = { ...PLAIN_STYLE, enabled: true, match: (s) => `[${s}]`, code: (s) => s, dim: (s) => s };

describe('search output', () => {
  it('draws matches with style.match, and only there', () => {
    expect(highlight('a quota and a quota', [[2, 7], [14, 19]], MARK)).toBe('a [quota] and a [quota]');
    expect(highlight('a quota', [[2, 7]], PLAIN_STYLE)).toBe('a quota');
  });

  it('sanitizes text around and inside matches', () => {
    expect(highlight('x\u001b[2Jquota', [[5, 10]], MARK)).toBe('x\\x1b[2J[quota]');
  });

  it('keeps the lines of a field that match, with their own offsets', () => {
    expect(matchingLines('one\ntwo quota\nthree', [[8, 13]])).toEqual([{ text: 'two quota', ranges: [[4, 9]] }]);
    // A range across a line break counts on both lines; an empty one on the line it is inside.
    expect(matchingLines('ab\ncd', [[1, 4], [4, 4]])).toEqual([{ text: 'ab', ranges: [[1, 2]] }, { text: 'cd', ranges: [[0, 1], [1, 1]] }]);
    expect(matchingLines('one line', [])).toEqual([]);
  });

  it('finds the same lines as splitting the text and clipping every range to every line', () => {
    // The reference: what matchingLines computed before it stopped splitting and copying.
    const reference = (text: string, ranges: [number, number][]) => {
      const out: { text: string; ranges: [number, number][] }[] = [];
      let start = 0;
      for (const line of text.split('\n')) {
        const end = start + line.length;
        const mine = ranges.filter((r) => r[0] < end && r[1] > start).map((r): [number, number] => [Math.max(r[0], start) - start, Math.min(r[1], end) - start]);
        if (mine.length) out.push({ text: line, ranges: mine });
        start = end + 1;
      }
      return out;
    };
    const range = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 12 })).map(([a, n]): [number, number] => [a, a + n]);
    fc.assert(
      fc.property(fc.stringMatching(/^[ab\n]{0,30}$/), fc.array(range, { maxLength: 4 }), (text, ranges) => {
        expect(matchingLines(text, ranges)).toEqual(reference(text, ranges));
      }),
      { numRuns: 500 },
    );
  });

  it.each([20, 30, 45])('cuts a long line to %i columns around the first match', (width) => {
    const text = '这是一个很长的句子，'.repeat(4) + 'the quota is here ' + 'and more text after it '.repeat(3);
    const at = text.indexOf('quota');
    const line = { text, ranges: [[at, at + 5]] as [number, number][] };
    const cut = clipLine(line, width);
    expect(displayWidth(cut.text)).toBeLessThanOrEqual(width);
    expect(cut.text.startsWith('…')).toBe(true);
    expect(cut.ranges.map(([s, e]) => cut.text.slice(s, e))).toEqual(['quota']);
  });

  it('lists each code on one line, then the other lines that matched, labelled', () => {
    const hits = searchCatalog(catalog, { patterns: ['quota'] });
    const out = renderSearchHits(hits, { lang: 'both', style: MARK });
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => /^\S/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(hits.map((h) => h.entry.code));
    expect(out).toContain('GES.7029    400  The agency resource exceeds the [quota] limit.  委托超过配额限制');
    expect(out).toContain('    Remediation: On the IAM console, check whether agencies have reached the [quota] limit.');
  });

  it('labels a match in another variant with its status', () => {
    const hits = searchCatalog(catalog, { patterns: ['backend'] }).filter((h) => h.entry.code === 'APIGW.0201');
    const out = renderSearchHits(hits, { lang: 'en', style: MARK });
    expect(out).toMatch(/^APIGW\.0201 {2}502 {2}\[Backend\] unavailable\.$/m);
    expect(out).toContain('    Message (HTTP 504): [Backend] timeout.');
  });

  it('shows a message that matched in the head line only, in each language', () => {
    // 'ip' is in both messages of GES.7032 ("The EIP resource ...", "弹性IP超过配额限制").
    const hits = searchCatalog(catalog, { patterns: ['ip'] }).filter((h) => h.entry.code === 'GES.7032');
    const lines = renderSearchHits(hits, { lang: 'both', style: MARK }).split('\n');
    expect(lines[0]).toMatch(/^GES\.7032 {2}400 {2}The E\[IP\] resource exceeds the quota limit\. {2}弹性\[IP\]超过配额限制$/);
    expect(lines.filter((l) => l.startsWith('    Message') || l.startsWith('    描述'))).toEqual([]);
  });

  it('keeps no range, and shows no line, for a field that only empty matches of a regular expression found', () => {
    // '^' matches every field, at each line's start, with nothing to show.
    const hits = searchCatalog(catalog, { patterns: ['^'], regexp: true });
    expect(hits.length).toBe(catalog.entries.length);
    // FieldMatch.ranges drops empty ranges, a field's only one included.
    for (const h of hits) for (const m of h.matches) expect(m.ranges, `${h.entry.code} ${m.field.name}`).toEqual([]);
    const out = renderSearchHits(hits, { lang: 'both', style: MARK });
    expect(out.split('\n').filter((l) => l.startsWith(' '))).toEqual([]);
  });
});

describe('ges-err search (in process)', () => {
  it('-l prints only the codes, one per line', async () => {
    const r = await runFake(['search', 'quota', '-l']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(codes({ patterns: ['quota'] }).join('\n') + '\n');
    expect(r.stderr).toBe('');
  });

  it('-c prints the count; 0 and exit 1 when nothing matches', async () => {
    expect(await runFake(['search', '配额', '-c'])).toEqual({ stdout: `${grep('配额', false).length}\n`, stderr: '', status: 0 });
    expect(await runFake(['search', 'zzzzqq', '-c'])).toEqual({ stdout: '0\n', stderr: '', status: 1 });
  });

  it('-q prints nothing and says it with the exit status', async () => {
    expect(await runFake(['search', 'quota', '-q'])).toEqual({ stdout: '', stderr: '', status: 0 });
    expect(await runFake(['search', 'zzzzqq', '-q'])).toEqual({ stdout: '', stderr: '', status: 1 });
  });

  it('says on stderr that nothing matched, exit 1, echoing the pattern safely', async () => {
    const r = await runFake(['search', 'zz\u001b[2Jzz', '--status', '4xx']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("ges-err: no code matches 'zz\\x1b[2Jzz' with HTTP status 4xx.\n");
  });

  it('exits 2 for a bad regex, explained, the pattern echoed safely', async () => {
    expect(await runFake(['search', '-E', 'a('])).toEqual({ stdout: '', stderr: "ges-err: invalid regular expression 'a(': missing )\n", status: 2 });
    expect(await runFake(['search', '-E', 'a(\n\u001bc'])).toEqual({ stdout: '', stderr: "ges-err: invalid regular expression 'a(\\n\\x1bc': missing )\n", status: 2 });
  });

  it.each([
    [['search', '-i', '-s', 'x'], /-i .* -s .* contradict/],
    [['search', '-E', '-F', 'x'], /-E .* -F .* contradict/],
    [['search', '--status', 'teapot', 'x'], /--status takes/],
    [['search', '--family', 'nope', 'x'], /unknown family 'nope'/],
  ])('exits 2 for %j', async (argv, message) => {
    const r = await runFake(argv);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('--json returns full results with matchedFields, and parses when nothing matched', async () => {
    const r = await runFake(['search', '--json', 'EIP', 'quota']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { command: string; count: number; query: { patterns: string[] }; results: { code: string; message: { en: string }; remediation: { en: string[] }; matchedFields: string[] }[] };
    expect(doc.command).toBe('search');
    expect(doc.count).toBe(1);
    expect(doc.query.patterns).toEqual(['EIP', 'quota']);
    expect(doc.results[0]!.code).toBe('GES.7032');
    expect(doc.results[0]!.message.en).toBe('The EIP resource exceeds the quota limit.');
    expect(doc.results[0]!.remediation.en.length).toBeGreaterThan(0);
    expect(doc.results[0]!.matchedFields).toEqual(['message.en', 'remediation.en']);
    const none = await runFake(['search', '--json', 'zzzzqq']);
    expect(none.status).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ count: 0, results: [] });
  });

  it('highlights on a terminal and never in a pipe or in JSON', async () => {
    const tty = await runFake(['search', 'bucket'], { isTTY: true, env: { FORCE_COLOR: '1' } });
    expect(tty.stdout).toMatch(ANSI_ESCAPE);
    expect(tty.stdout).toContain('\u001b[31mbucket\u001b[39m');
    expect((await runFake(['search', 'bucket'])).stdout).not.toMatch(ANSI_ESCAPE);
    expect((await runFake(['search', 'bucket', '--json'], { isTTY: true, env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI_ESCAPE);
    expect((await runFake(['search', 'bucket', '-l'], { isTTY: true, env: { FORCE_COLOR: '1' } })).stdout).toBe('GES.7017\n');
  });

  it('escapes control characters that a user catalog puts in its text', async () => {
    const evil = JSON.parse(readFixture('queries-user-catalog.json')) as { entries: { variants: { message: { en: string } }[] }[] };
    evil.entries[0]!.variants[0]!.message.en = 'The flux \u001b]0;pwned\u0007capacitor is overheating.';
    const r = await runFake(['search', 'flux', '--catalog', 'evil.json'], { files: { 'evil.json': JSON.stringify(evil) } });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(ANSI_ESCAPE);
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07capacitor');
  });

  it('searches user catalogs too', async () => {
    const r = await runFake(['search', 'capacitor', '-l', '--catalog', 'u.json'], { files: { 'u.json': readFixture('queries-user-catalog.json') } });
    expect(r.stdout).toBe('ACME.0042\n');
  });
});

describe('ges-err search (built executable)', () => {
  it('gives the same answers from the index the build wrote as from the catalog itself', async () => {
    for (const p of [['quota'], ['配额'], ['Graph'], ['-w', 'ID'], ['-E', '^Check whether'], ['--status', '5xx', 'error'], ['弹性ＩＰ', '-i']]) {
      const built = spawnCli(['search', '-l', ...p]);
      const source = await runFake(['search', '-l', ...p]);
      expect(built.status, p.join(' ')).toBe(0);
      expect(built.stdout, p.join(' ')).toBe(source.stdout);
    }
  });

  it('search quota -l prints only codes; search 配额 -c a count; a bad regex exits 2', () => {
    const l = spawnCli(['search', 'quota', '-l']);
    expect(l.status).toBe(0);
    expect(l.stdout).toMatch(/^([A-Z]+\.\d{4}\n)+$/);
    const c = spawnCli(['search', '配额', '-c']);
    expect(c.stdout).toMatch(/^\d+\n$/);
    expect(Number(c.stdout)).toBeGreaterThan(0);
    const bad = spawnCli(['search', '-E', 'a(']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("ges-err: invalid regular expression 'a(': missing )\n");
    const none = spawnCli(['search', 'no-such-words-anywhere']);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
  });

  it('never loads fuse.js', () => {
    const r = spawnCli(['search', 'quota'], { env: { NODE_DEBUG: 'module' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('MODULE'); // the probe works
    expect(r.stderr).not.toContain('fuse.js');
  });
});

describe('library API', () => {
  it('search() and matchText() return explained results with matchedFields (and a score)', async () => {
    const { search, matchText, PatternError: ApiPatternError } = await import('../src/index.js');
    const hits = search({ patterns: ['EIP', 'quota'] });
    expect(hits.map((h) => [h.code, h.matchedFields])).toEqual([['GES.7032', ['message.en', 'remediation.en']]]);
    expect(() => search({ patterns: ['a('], regexp: true })).toThrow(ApiPatternError);
    const best = await matchText('graph is not runing');
    expect(best.map((r) => r.code)).toEqual(['GES.7001', 'GES.7015']);
    expect(best[0]!.score).toBeGreaterThan(best[1]!.score!);
    expect(await matchText('the weather is nice today')).toEqual([]);
  });
});
