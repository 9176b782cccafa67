// Free text still corrects typos when fuse.js cannot be loaded (a bundle copied without its
// node_modules): every catalog word of similar shape is then checked by edit distance.

import { describe, expect, it, vi } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { rankFreeText, selectMatches } from '../src/fuzzy.js';
import { readFixture } from './helpers.js';

vi.mock('fuse.js', () => {
  throw new Error("Cannot find module 'fuse.js'");
});

const catalog = buildCatalog(loadBundledCatalogs());
const typos = (JSON.parse(readFixture('queries.json')) as { queries: { q: string; expect: string | string[]; kind: string }[] }).queries.filter((q) => q.kind === 'typo');

describe('without fuse.js', () => {
  it('cannot import it (the mock works)', async () => {
    await expect(import('fuse.js')).rejects.toThrow();
  });

  it.each(typos.map((t) => [t.q, t.expect] as const))('still finds %j', async (q, want) => {
    const shown = selectMatches(await rankFreeText(catalog, q)).shown.map((m) => m.entry.code);
    expect(shown.slice(0, 3)).toEqual(expect.arrayContaining([want].flat().slice(0, 1)));
  });
});
