// The tables shipped with ges-err (catalog/*.json), in the order families are listed.
//
// From source (tests, library development) they are read from catalog/ and validated. The build
// validates them once and writes the normalized result to dist/catalog.json, which the bundle
// reads with one JSON.parse and no validation: start-up is most of a lookup's cost.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogError } from './load.js';
import type { CatalogEntry, CatalogInfo } from './types.js';
import { validateCatalog, type ValidatedCatalog } from './validate.js';

export const BUNDLED_FILES = ['ges-management-plane.json', 'ges-service-plane.json', 'apigw.json', 'ges-undocumented.json'] as const;

/** Set by the build (scripts/build.mjs) in the bundles; undefined when running from source. */
declare const __GES_ERR_PRECOMPILED__: boolean | undefined;

/** The form dist/catalog.json holds: entries without their back-reference to the catalog info. */
export interface PrecompiledCatalog {
  info: CatalogInfo;
  entries: Omit<CatalogEntry, 'catalog'>[];
}

export function precompile(parts: readonly ValidatedCatalog[]): PrecompiledCatalog[] {
  return parts.map(({ info, entries }) => ({ info, entries: entries.map(({ catalog: _, ...rest }) => rest) }));
}

export function relink(pre: readonly PrecompiledCatalog[]): ValidatedCatalog[] {
  return pre.map(({ info, entries }) => ({ info, entries: entries.map((e) => ({ ...e, catalog: info }) as CatalogEntry) }));
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

function here(): string {
  // __dirname exists in the CommonJS bundle; import.meta.url in ESM (library bundle, tests).
  return typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
}

export function readRawCatalogFiles(dir = path.join(here(), '../../catalog')): unknown[] {
  return BUNDLED_FILES.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown);
}

export function loadBundledCatalogs(): ValidatedCatalog[] {
  if (typeof __GES_ERR_PRECOMPILED__ !== 'undefined' && __GES_ERR_PRECOMPILED__) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(here(), 'catalog.json'), 'utf8');
    } catch {
      throw new CatalogError('bundled catalog is missing; reinstall ges-err or run npm run build', 'dist/catalog.json', 1, 1);
    }
    try {
      return relink(JSON.parse(text) as PrecompiledCatalog[]);
    } catch {
      throw new CatalogError('bundled catalog is damaged (not valid JSON); reinstall ges-err or run npm run build', 'dist/catalog.json', 1, 1);
    }
  }
  return validateBundled(readRawCatalogFiles());
}
