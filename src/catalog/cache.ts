// User catalogs, validated once: after a file has been parsed and validated in full, its entries are
// kept as an indexed pack (pack.ts) in the cache folder, and later runs read from the pack only what
// they need. A 50,000-code catalog costs a lookup a few reads instead of parsing 20 MB.
//
// The pack is used only while the file is provably the one it was made from: same absolute path,
// device, inode, size, and modification and change times to the nanosecond, and the same ges-err
// validator (the fingerprint). Anything else (edited, replaced, touched, a newer ges-err) validates
// the file again, so a broken file is always reported with FILE:LINE:COL and a changed one is never
// served stale. A file modified in the last seconds is not cached at all, because on a file system
// with coarse timestamps a second edit within the same tick would keep the same times. Failing to
// read or write the cache is never an error: the file is simply validated as without a cache.

import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CatalogError, MAX_CATALOG_BYTES, parseUserCatalog } from './load.js';
import { hashKey, openPack, writePack, type CatalogPart } from './pack.js';
import type { ValidatedCatalog } from './validate.js';

/** Set by the build: a digest of src/catalog/, so a pack made by another validator is not trusted. */
declare const __GES_ERR_CATALOG_FINGERPRINT__: string | undefined;
export const VALIDATOR_FINGERPRINT = typeof __GES_ERR_CATALOG_FINGERPRINT__ === 'string' ? __GES_ERR_CATALOG_FINGERPRINT__ : 'source';

/** Files modified more recently than this are not cached (coarse file-system timestamps). */
const RACY_MS = 3000;
const FORMAT = 'ges-err user catalog 1';

/** Why a catalog file cannot be read, in the words the CLI prints. */
export function readError(file: string, err: NodeJS.ErrnoException): CatalogError {
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EISDIR'
        ? 'is a directory, not a catalog file'
        : err.code === 'EFBIG'
          ? `larger than ${MAX_CATALOG_BYTES / 1024 / 1024} MiB`
          : err.code === 'EACCES'
            ? 'permission denied'
            : err.message;
  return new CatalogError(`cannot read catalog: ${why}`, file, 1, 1);
}

const identity = (absPath: string, st: BigIntStats, fingerprint: string): string =>
  [FORMAT, fingerprint, absPath, st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join('\n');

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** The start of the file names of one catalog's packs: its absolute path hashed. */
function packStem(absPath: string): string {
  return hex8(hashKey(absPath)) + hex8(hashKey(`${absPath.length}:${absPath}`));
}

/**
 * The pack's file name: the catalog's stem and the validator hashed (the header holds both in full,
 * checked on open). One file per validator: two installed versions of ges-err used in turn (a global
 * one and a project's) each keep their own pack, where one file made each of them validate a large
 * catalog again every time the other had run.
 */
function packPath(cacheDir: string, absPath: string, fingerprint: string): string {
  return join(cacheDir, 'catalogs', `${packStem(absPath)}-${hex8(hashKey(fingerprint))}.pack`);
}

/** Packs of one catalog kept besides the current validator's: those of the most recent other one. */
const OTHER_PACKS_KEPT = 1;

/**
 * Remove the catalog's packs of other validators, but the most recently written (and any from before
 * packs were named by validator): a pack can be as large as its catalog, and each upgrade of ges-err
 * would otherwise leave one behind.
 */
function pruneOtherPacks(pack: string, absPath: string): void {
  const dir = dirname(pack);
  const stem = packStem(absPath);
  try {
    const names = readdirSync(dir);
    if (names.includes(`${stem}.pack`)) unlinkSync(join(dir, `${stem}.pack`));
    const others = names
      .filter((name) => name.startsWith(`${stem}-`) && name.endsWith('.pack'))
      .map((name) => join(dir, name))
      .filter((file) => file !== pack)
      .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { file } of others.slice(OTHER_PACKS_KEPT)) unlinkSync(file);
  } catch {
    // another run pruned them first, or the folder is unreadable: nothing to tidy
  }
}

export interface UserCatalogCache {
  /** Folder for cached packs, e.g. ~/.cache/ges-err. */
  dir: string;
  /** Identifies the validator that vouched for a pack; a pack from another one is not used. */
  fingerprint: string;
  /** For tests: the current time in ms. */
  now?: () => number;
}

/**
 * Load a user catalog from `file`: from its cached pack when it is still valid, otherwise by
 * validating the file (throwing CatalogError with FILE:LINE:COL if it is broken) and caching it.
 */
export function loadUserCatalog(file: string, cache: UserCatalogCache): ValidatedCatalog | CatalogPart {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw readError(file, e as NodeJS.ErrnoException);
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (st.isDirectory()) throw readError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    if (st.size > BigInt(MAX_CATALOG_BYTES)) throw readError(file, Object.assign(new Error('file too large'), { code: 'EFBIG' }));
    const absPath = resolve(file);
    const id = identity(absPath, st, cache.fingerprint);
    const pack = packPath(cache.dir, absPath, cache.fingerprint);
    try {
      // The info the pack holds names the file as it was spelled when cached; name it as now.
      const parts = openPack(pack, (key) => key === id, (info) => ({ ...info, userPath: file }));
      if (parts?.length === 1) return parts[0]!;
    } catch {
      // missing, unreadable or damaged: validate the file instead
    }
    const text = readFileSync(fd, 'utf8');
    const validated = parseUserCatalog(text, file);
    const now = cache.now?.() ?? Date.now();
    if (now - Number(st.mtimeNs / 1000000n) > RACY_MS && now - Number(st.ctimeNs / 1000000n) > RACY_MS) {
      let unchanged = false;
      try {
        unchanged = identity(absPath, statSync(absPath, { bigint: true }), cache.fingerprint) === id;
      } catch {
        // gone or unreadable by path: do not cache
      }
      if (unchanged && writeAtomically(pack, writePack([validated], id))) pruneOtherPacks(pack, absPath);
    }
    return validated;
  } finally {
    closeSync(fd);
  }
}

/** Write `data` to `file` whole or not at all; true when it was written. */
function writeAtomically(file: string, data: Buffer): boolean {
  const tmp = `${file}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file); // a concurrent run sees the old pack or the new one, never half of one
    return true;
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
}
