// Build step: validate catalog/*.json and write the indexed pack the bundles load (dist/catalog.pack),
// and the indexes search and free-text matching read (dist/search-index.bin, dist/freetext-index.bin).
import fs from 'node:fs';
import path from 'node:path';
import { PACK_FILE, precompile, readRawCatalogFiles, validateBundled } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { buildFreeTextIndexData, encodeFreeTextIndex } from '../src/fuzzy.js';
import { FREE_TEXT_INDEX_FILE, SEARCH_INDEX_FILE } from '../src/prebuilt.js';
import { buildSearchIndexData, encodeSearchIndex } from '../src/search.js';

export function compileCatalog(root: string): { codes: number } {
  const parts = validateBundled(readRawCatalogFiles(path.join(root, 'catalog')));
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', PACK_FILE), precompile(parts));
  const catalog = buildCatalog(parts);
  fs.writeFileSync(path.join(root, 'dist', SEARCH_INDEX_FILE), encodeSearchIndex(buildSearchIndexData(catalog)));
  fs.writeFileSync(path.join(root, 'dist', FREE_TEXT_INDEX_FILE), encodeFreeTextIndex(buildFreeTextIndexData(catalog)));
  return { codes: parts.reduce((n, p) => n + p.entries.length, 0) };
}
