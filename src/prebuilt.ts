// Indexes the build writes beside the bundle for the bundled catalog: the text grep-style search
// reads (dist/search-index.bin, see encodeSearchIndex in search.ts) and the free-text index
// (dist/freetext-index.json). They spare a
// run the per-field analysis that would otherwise dominate its start-up. Running from source there
// are none, and search.ts / fuzzy.ts build them at run time, as they do with user catalogs.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEARCH_INDEX_FILE = 'search-index.bin';
export const FREE_TEXT_INDEX_FILE = 'freetext-index.json';

/** Set by the build (scripts/build.mjs) in the bundles; undefined when running from source. */
declare const __GES_ERR_PRECOMPILED__: boolean | undefined;

/** true in the CommonJS bundle (scripts/build.mjs); undefined when running from source. */
declare const __GES_ERR_CJS__: boolean | undefined;

function here(): string {
  // As in catalog/bundled.ts: __dirname in the CommonJS bundle, import.meta.url in ESM.
  return typeof __GES_ERR_CJS__ !== 'undefined' && __GES_ERR_CJS__ ? __dirname : path.dirname(fileURLToPath(import.meta.url));
}

/**
 * A prebuilt index, or undefined: from source, or when the file is missing or damaged (the index is
 * then rebuilt; each user checks that it was built from the catalog in use before trusting it).
 */
export function readPrebuilt<T>(file: typeof FREE_TEXT_INDEX_FILE): T | undefined {
  const bytes = readPrebuiltBytes(file);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** A prebuilt file's bytes, or undefined (from source, or when it cannot be read). */
export function readPrebuiltBytes(file: typeof SEARCH_INDEX_FILE | typeof FREE_TEXT_INDEX_FILE): Buffer | undefined {
  if (typeof __GES_ERR_PRECOMPILED__ === 'undefined' || !__GES_ERR_PRECOMPILED__) return undefined;
  try {
    return fs.readFileSync(path.join(here(), file));
  } catch {
    return undefined;
  }
}
