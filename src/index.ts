// The library API: import { explain, diagnose, search } from 'ges-err'. Importing it does nothing
// but define functions; every function takes its input as arguments and returns plain data.

import { loadBundledCatalogs } from './catalog/bundled.js';
import { buildCatalog, parseUserCatalog, type Catalog } from './catalog/load.js';
import { parseCodeArgs } from './code.js';
import { explainCodes, type ExplainOutcome } from './explain.js';
import type { FieldName } from './fields.js';
import { decodeFreeTextIndex, matchFreeText } from './fuzzy.js';
import { FREE_TEXT_INDEX_FILE, readPrebuilt, SEARCH_INDEX_FILE } from './prebuilt.js';
import { explainEntry, type ExplainedResult } from './result.js';
import { decodeSearchIndex, searchCatalog, type SearchQuery } from './search.js';
import { diagnoseSources, diagnoseText, type DiagnoseReport } from './diagnose/index.js';

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

export type { SearchQuery } from './search.js';
export { PatternError } from './search.js';
export { FilterError } from './filters.js';
export type { FieldName } from './fields.js';

/** A search or free-text result: the explained entry, the fields that matched and (free text) a score. */
export type MatchResult = ExplainedResult & { matchedFields: FieldName[]; score?: number };

/**
 * grep-style search: every pattern must match some field of an entry, in either language.
 * `search('quota')`, `search(['graph', 'running'])` or a full SearchQuery. Throws PatternError for
 * a bad regular expression and FilterError for a bad family or status.
 */
export function search(query: string | readonly string[] | SearchQuery, opts: CatalogOptions & { catalog?: Catalog } = {}): MatchResult[] {
  if (typeof query === 'string') query = { patterns: [query] };
  else if (isStringArray(query)) query = { patterns: query };
  const catalog = catalogFor(opts);
  const index = opts.catalog || opts.catalogs?.length ? undefined : readPrebuilt(SEARCH_INDEX_FILE, decodeSearchIndex);
  return searchCatalog(catalog, query, index ? { index } : {}).map((h) => ({ ...explainEntry(h.entry, h.variantOrder), matchedFields: h.matchedFields }));
}

/** Free text ("graph is not runing", "配额"): the close best matches, best first; empty when nothing matches well. */
export async function matchText(text: string, opts: CatalogOptions & { catalog?: Catalog } = {}): Promise<MatchResult[]> {
  const catalog = catalogFor(opts);
  const index = opts.catalog || opts.catalogs?.length ? undefined : readPrebuilt(FREE_TEXT_INDEX_FILE, decodeFreeTextIndex);
  const { shown } = await matchFreeText(catalog, text, index ? { index } : {});
  return shown.map((m) => ({ ...explainEntry(m.entry, m.variantOrder), score: m.score, matchedFields: m.matchedFields }));
}

function isStringArray(q: readonly string[] | SearchQuery): q is readonly string[] {
  return Array.isArray(q);
}

export type { DiagnoseReport, DiagnosedResult, DiagnosedNotFound, SummaryRow, DiagnoseSummary } from './diagnose/index.js';

/**
 * Find and explain every error in a response, an SDK error print, a curl transcript or a log.
 * Accepts the text, its bytes (any of UTF-8, UTF-16 with BOM), or a stream of chunks (a Node
 * Readable works), which is read in bounded memory.
 */
export async function diagnose(input: string | Uint8Array | AsyncIterable<Uint8Array>, opts: CatalogOptions & { catalog?: Catalog; name?: string } = {}): Promise<DiagnoseReport> {
  const catalog = catalogFor(opts);
  const name = opts.name ?? '(input)';
  if (typeof input === 'string') return diagnoseText(catalog, input, name);
  const open: () => AsyncIterable<Uint8Array> =
    input instanceof Uint8Array
      ? async function* () {
          yield input;
        }
      : () => input;
  let failure: unknown;
  const { report } = await diagnoseSources(catalog, [{ name, open }], { onReadError: (_, e) => (failure ??= e) });
  if (failure !== undefined) throw failure;
  return report;
}
