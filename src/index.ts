// The library API: import { explain, diagnose, search } from 'ges-err'. Importing it does nothing
// but define functions; every function takes its input as arguments and returns plain data.

import { loadBundledCatalogs } from './catalog/bundled.js';
import { buildCatalog, parseUserCatalog, type Catalog } from './catalog/load.js';
import { parseCodeArgs } from './code.js';
import { explainCodes, type ExplainOutcome } from './explain.js';

export type { Catalog, FamilySummary } from './catalog/load.js';
export { CatalogError } from './catalog/load.js';
export type { ExplainedResult, VariantView, NoteView, Provenance } from './result.js';
export type { ExplainOutcome, NotFound } from './explain.js';
export type { CatalogFileJson, CatalogEntry, Origin, NoteKind } from './catalog/types.js';
export { parseCode } from './code.js';
export type { CodeQuery } from './code.js';

export interface CatalogOptions {
  /** Extra catalogs, as the text of catalog files (same schema as catalog/*.json), in precedence order. */
  catalogs?: readonly { text: string; name: string }[];
}

/** The bundled catalog plus any extra ones. Throws CatalogError for a broken extra catalog. */
export function loadCatalog(opts: CatalogOptions = {}): Catalog {
  const parts = loadBundledCatalogs();
  for (const c of opts.catalogs ?? []) parts.push(parseUserCatalog(c.text, c.name));
  return buildCatalog(parts);
}

let defaultCatalog: Catalog | undefined;
function catalogFor(opts: CatalogOptions & { catalog?: Catalog }): Catalog {
  if (opts.catalog) return opts.catalog;
  if (opts.catalogs?.length) return loadCatalog(opts);
  return (defaultCatalog ??= loadCatalog());
}

/**
 * Explain codes written any way a person writes them ("GES.7018", "ges-7018", "7018").
 * Text that is not code-shaped gives an empty outcome.
 */
export function explain(codes: string | readonly string[], opts: CatalogOptions & { catalog?: Catalog } = {}): ExplainOutcome {
  const parsed = parseCodeArgs(typeof codes === 'string' ? [codes] : codes);
  if (!parsed) return { results: [], notFound: [] };
  return explainCodes(catalogFor(opts), parsed);
}
