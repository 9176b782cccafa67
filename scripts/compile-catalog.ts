// Build step: validate catalog/*.json and write the indexed pack the bundles load (dist/catalog.pack).
import fs from 'node:fs';
import path from 'node:path';
import { PACK_FILE, precompile, readRawCatalogFiles, validateBundled } from '../src/catalog/bundled.js';

export function compileCatalog(root: string): { codes: number } {
  const parts = validateBundled(readRawCatalogFiles(path.join(root, 'catalog')));
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', PACK_FILE), precompile(parts));
  return { codes: parts.reduce((n, p) => n + p.entries.length, 0) };
}
