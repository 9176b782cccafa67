// The user-catalog cache (src/catalog/cache.ts): a validated catalog is read back from its pack,
// but a changed, broken or foreign file never is, and a cache that cannot be used is no error.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadUserCatalog, type UserCatalogCache } from '../src/catalog/cache.js';
import { buildCatalog, CatalogError, findByCode } from '../src/catalog/load.js';
import { parseCode } from '../src/code.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'ges-err-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let file: string;
let n = 0;
beforeEach(() => {
  dir = path.join(root, `t${++n}`);
  mkdirSync(dir);
  file = path.join(dir, 'acme.json');
});

const catalogText = (message: string) =>
  JSON.stringify({ schemaVersion: 1, id: 'acme', entries: [{ code: 'ACME.0001', variants: [{ httpStatus: 400, message: { en: message } }] }] }, null, 2);

/** A cache whose clock says the file was written long ago, so it may be cached. */
const later = (over: Partial<UserCatalogCache> = {}): UserCatalogCache => ({ dir: path.join(dir, 'cache'), fingerprint: 'fp', now: () => Date.now() + 60_000, ...over });
const packs = () => {
  try {
    return readdirSync(path.join(dir, 'cache', 'catalogs'));
  } catch {
    return [];
  }
};
const fromPack = (x: object) => 'find' in x; // a pack part; a freshly validated catalog has no index
const message = (x: Parameters<typeof buildCatalog>[0][number]) => findByCode(buildCatalog([x]), parseCode('ACME.0001')!)[0]!.variants[0]!.message.en!.text;

describe('user catalog cache', () => {
  it('validates the first time, then reads the pack', () => {
    writeFileSync(file, catalogText('first'));
    const a = loadUserCatalog(file, later());
    expect(fromPack(a)).toBe(false);
    expect(packs()).toHaveLength(1);
    const b = loadUserCatalog(file, later());
    expect(fromPack(b)).toBe(true);
    expect(message(b)).toBe('first');
    expect(b.info.userPath).toBe(file);
  });

  it('names the file as it is spelled now, not as when it was cached', () => {
    writeFileSync(file, catalogText('x'));
    loadUserCatalog(file, later());
    const rel = path.relative(process.cwd(), file);
    const b = loadUserCatalog(rel, later());
    expect(fromPack(b)).toBe(true);
    expect(b.info.userPath).toBe(rel);
  });

  it('never serves a changed file from the cache, even with the same size and modification time', () => {
    const stamp = Math.floor(Date.now() / 1000) - 3600; // whole seconds, so it can be restored exactly
    writeFileSync(file, catalogText('aaaa'));
    utimesSync(file, stamp, stamp);
    expect(fromPack(loadUserCatalog(file, later()))).toBe(false);
    expect(fromPack(loadUserCatalog(file, later()))).toBe(true);
    writeFileSync(file, catalogText('bbbb')); // same length
    utimesSync(file, stamp, stamp); // and the very same modification time: only the change time differs
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(BigInt(stamp) * 1000000000n);
    const b = loadUserCatalog(file, later());
    expect(fromPack(b)).toBe(false);
    expect(message(b)).toBe('bbbb');
  });

  it('reports a file broken after it was cached with FILE:LINE:COL, and loads nothing from the cache', () => {
    writeFileSync(file, catalogText('good'));
    loadUserCatalog(file, later());
    writeFileSync(file, '{\n  "schemaVersion": 1,\n  "entries": [\n    { "code": "ACME.1", "variants": [] }\n  ]\n}\n');
    let err: unknown;
    try {
      loadUserCatalog(file, later());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as CatalogError).formatted).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: expected a non-empty array of variants`));
  });

  it('re-validates for another validator (fingerprint)', () => {
    writeFileSync(file, catalogText('x'));
    loadUserCatalog(file, later({ fingerprint: 'one' }));
    expect(fromPack(loadUserCatalog(file, later({ fingerprint: 'one' })))).toBe(true);
    expect(fromPack(loadUserCatalog(file, later({ fingerprint: 'two' })))).toBe(false);
  });

  it('keeps a pack per validator: two versions of ges-err used in turn each read their own', () => {
    writeFileSync(file, catalogText('x'));
    expect(fromPack(loadUserCatalog(file, later({ fingerprint: 'one' })))).toBe(false);
    expect(fromPack(loadUserCatalog(file, later({ fingerprint: 'two' })))).toBe(false);
    for (const fingerprint of ['one', 'two', 'one', 'two']) expect(fromPack(loadUserCatalog(file, later({ fingerprint }))), fingerprint).toBe(true);
    expect(packs()).toHaveLength(2);
  });

  it('keeps the pack of one other validator at most, and none named the old way; those of other catalogs stay', () => {
    const other = path.join(dir, 'other.json');
    writeFileSync(other, catalogText('o'));
    writeFileSync(file, catalogText('x'));
    loadUserCatalog(other, later({ fingerprint: 'one' }));
    const otherPack = packs()[0]!;
    loadUserCatalog(file, later({ fingerprint: 'one' }));
    const onePack = packs().find((p) => p !== otherPack)!;
    const catalogDir = path.join(dir, 'cache', 'catalogs');
    // Older than what comes next, and a pack named as before validators had their own.
    utimesSync(path.join(catalogDir, onePack), new Date(Date.now() - 86_400_000), new Date(Date.now() - 86_400_000));
    const legacy = `${onePack.slice(0, onePack.indexOf('-'))}.pack`;
    writeFileSync(path.join(catalogDir, legacy), 'old');
    loadUserCatalog(file, later({ fingerprint: 'two' }));
    const twoPack = packs().find((p) => ![otherPack, onePack, legacy].includes(p))!;
    expect(packs().sort()).toEqual([otherPack, onePack, twoPack].sort());
    loadUserCatalog(file, later({ fingerprint: 'three' }));
    const threePack = packs().find((p) => ![otherPack, onePack, twoPack].includes(p))!;
    expect(packs().sort()).toEqual([otherPack, twoPack, threePack].sort());
    expect(fromPack(loadUserCatalog(file, later({ fingerprint: 'two' })))).toBe(true);
    expect(fromPack(loadUserCatalog(other, later({ fingerprint: 'one' })))).toBe(true);
  });

  it('does not cache a file modified in the last seconds (coarse timestamps could hide a second edit)', () => {
    writeFileSync(file, catalogText('x'));
    loadUserCatalog(file, later({ now: () => Date.now() }));
    expect(packs()).toEqual([]);
  });

  it('validates again when the pack is damaged, and repairs it', () => {
    writeFileSync(file, catalogText('x'));
    loadUserCatalog(file, later());
    const pack = path.join(dir, 'cache', 'catalogs', packs()[0]!);
    truncateSync(pack, statSync(pack).size - 10);
    const b = loadUserCatalog(file, later());
    expect(fromPack(b)).toBe(false);
    expect(message(b)).toBe('x');
    expect(fromPack(loadUserCatalog(file, later()))).toBe(true);
  });

  it('works without a usable cache folder', () => {
    writeFileSync(file, catalogText('x'));
    const blocker = path.join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const c = loadUserCatalog(file, later({ dir: blocker }));
    expect(message(c)).toBe('x');
    expect(readFileSync(blocker, 'utf8')).toBe('');
  });

  it.each([
    ['a missing file', (f: string) => f + '.nope', /cannot read catalog: no such file/],
    ['a directory', (f: string) => path.dirname(f), /is a directory/],
  ])('explains %s', (_, target, re) => {
    writeFileSync(file, catalogText('x'));
    expect(() => loadUserCatalog(target(file), later())).toThrow(re);
  });
});
