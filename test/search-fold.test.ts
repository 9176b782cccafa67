// A search of user catalogs folds the fields of its candidate entries all at once (buildRaw in
// src/search.ts: one normalize and one toLowerCase over the fields joined by NULs). It must give
// exactly what folding each field alone gives (buildRawAlone), texts, offsets and flags alike,
// whatever the text: combining marks that compose, compatibility forms that change length, a final
// sigma at a field's end, capitals whose lower case is longer, and NULs inside a field.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import type { CatalogEntry } from '../src/catalog/types.js';
import { buildRaw, buildRawAlone } from '../src/search.js';

const params = { numRuns: 3_000, seed: 20_261_201 };

/** Characters whose fold is tricky, among ordinary ones. */
const tricky = [
  'e', '\u0301', '\u0308', 'A', 'Σ', 'σ', 'ς', ' ', '.', 'İ', 'ß', 'ẞ', 'ﬁ', '㎏', 'ｑｕｏｔａ', 'Ｑ', '（', '　', '①', 'ﷺ',
  '\u1100', '\u1161', '\u11a8', 'ㄱ', '\u0000', '\n', '配额', '图', 'Ǆ', 'ǅ', '\u0345', 'Ω', 'K', '\u212a',
];
const unit = fc.oneof(fc.constantFrom(...tricky), fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)));
const text = fc.string({ unit, minLength: 1, maxLength: 12 });

function entryOf(i: number, texts: string[]): CatalogEntry {
  const t = (x: string | undefined) => (x === undefined ? undefined : { text: x, origin: 'user' as const });
  return {
    code: `USR.${1000 + i}`,
    docUrl: {},
    notes: [],
    variants: [
      {
        httpStatus: 400,
        message: { en: t(texts[0]), zh: t(texts[1]) },
        description: { en: t(texts[2]) },
        remediation: texts[3] === undefined ? {} : { en: { steps: [texts[3], texts[4] ?? 'x'], origin: 'user' } },
        retryable: false,
        notes: [],
      },
    ],
  } as unknown as CatalogEntry;
}

describe('folding the fields of a search all at once', () => {
  it('gives what folding each field alone gives, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (entries) => {
        const list = entries.map((texts, i) => entryOf(i, texts));
        expect(buildRaw(list)).toEqual(buildRawAlone(list));
        const bytes = (s: string) => Buffer.byteLength(s);
        expect(buildRaw(list, bytes)).toEqual(buildRawAlone(list, bytes));
      }),
      params,
    );
  });

  it('gives what folding each field alone gives for the whole bundled catalog', () => {
    const entries = buildCatalog(loadBundledCatalogs()).entries;
    const raw = buildRaw(entries);
    expect(raw).toEqual(buildRawAlone(entries));
    expect(raw.names.length).toBeGreaterThan(900); // every field of 161 codes
  });

  it('handles no entries', () => {
    expect(buildRaw([])).toEqual(buildRawAlone([]));
  });
});
