// The tables shipped with ges-err (catalog/*.json), in the order families are listed.
//
// From source (tests, library development) they are read from catalog/ and validated. The build
// validates them once and writes them as one indexed pack, dist/catalog.pack (see pack.ts), which
// the bundles open without validating or parsing more than the entries a command asks for.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogError } from './load.js';
import { openPack, writePack, type CatalogPart } from './pack.js';
import { validateCatalog, type ValidatedCatalog } from './validate.js';
import { distFile } from '../prebuilt.js';

export const BUNDLED_FILES = ['ges-management-plane.json', 'ges-service-plane.json', 'apigw.json', 'ges-undocumented.json'] as const;
export const PACK_FILE = 'catalog.pack';

/** Set by the build (scripts/build.mjs) in the bundles; undefined when running from source. */
declare const __GES_ERR_PRECOMPILED__: boolean | undefined;

/** A catalog ready to merge: validated in memory, or a part of a pack. */
export type CatalogSource = ValidatedCatalog | CatalogPart;

/** The bundled tables as a pack (build step). */
export function precompile(parts: readonly ValidatedCatalog[]): Buffer {
  return writePack(parts);
}

/** Validate the raw catalog files (already parsed). Throws CatalogError if one is damaged. */
export function validateBundled(files: readonly unknown[]): ValidatedCatalog[] {
  return files.map((f, i) => {
    const r = validateCatalog(f, { fallbackId: BUNDLED_FILES[i] ?? `bundled-${i}` });
    if (!r.ok) {
      const first = r.issues[0]!;
      throw new CatalogError(`bundled catalog is damaged: ${first.reason} at ${first.path.join('.')}`, BUNDLED_FILES[i] ?? '(bundled)', 1, 1);
    }
    return r.catalog;
  });
}

/** true in the CommonJS bundle (scripts/build.mjs); undefined when running from source. */
declare const __GES_ERR_CJS__: boolean | undefined;

function here(): string {
  // __dirname exists in the CommonJS bundle; import.meta.url in ESM (library bundle, tests).
  return typeof __GES_ERR_CJS__ !== 'undefined' && __GES_ERR_CJS__ ? __dirname : dirname(fileURLToPath(import.meta.url));
}

export function readRawCatalogFiles(dir = join(here(), '../../catalog')): unknown[] {
  return BUNDLED_FILES.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
}

export function loadBundledCatalogs(): CatalogSource[] {
  if (typeof __GES_ERR_PRECOMPILED__ !== 'undefined' && __GES_ERR_PRECOMPILED__) {
    const file = distFile(PACK_FILE);
    let parts: CatalogPart[] | undefined;
    try {
      parts = openPack(file);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      throw new CatalogError(`bundled catalog is ${missing ? 'missing' : 'damaged'}; reinstall ges-err or run npm run build`, `dist/${PACK_FILE}`, 1, 1);
    }
    if (parts?.length !== BUNDLED_FILES.length) throw new CatalogError('bundled catalog is damaged; reinstall ges-err or run npm run build', `dist/${PACK_FILE}`, 1, 1);
    return parts;
  } else {
    // From source, validate once per process: tests run the CLI in-process thousands of times. The
    // array is the caller's to extend (user catalogs are pushed onto it); the catalogs are never
    // changed. (An else, not code after a return: in the bundles the test is true, and esbuild drops
    // this branch, with the validator, only when it is one.)
    return [...(validatedFromSource ??= validateBundled(readRawCatalogFiles()))];
  }
}

let validatedFromSource: ValidatedCatalog[] | undefined;
