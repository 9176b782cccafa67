// `ges-err search PATTERN...`: grep-style search. Exit 0 when something matched, 1 when nothing
// did, 2 for a bad pattern or filter. -l, -c and -q print only codes, a count or nothing.

import type { Context } from '../context.js';
import { CliError } from '../context.js';
import { renderResults } from '../render/index.js';
import { renderJson } from '../render/json.js';
import { renderSearchHits } from '../render/highlight.js';
import { sanitize } from '../render/sanitize.js';
import { explainEntry } from '../result.js';
import { decodeSearchIndex, PatternError, searchCatalog, type SearchHit, type SearchQuery } from '../search.js';
import { readPrebuilt, SEARCH_INDEX_FILE } from '../prebuilt.js';

export function searchQuery(ctx: Context, patterns: readonly string[]): SearchQuery {
  const o = ctx.options;
  if (o.ignoreCase && o.caseSensitive) throw new CliError('-i (--ignore-case) and -s (--case-sensitive) contradict each other; give one');
  if (o.regexp && o.fixedStrings) throw new CliError('-E (--regexp) and -F (--fixed-strings) contradict each other; give one');
  return {
    patterns,
    regexp: o.regexp === true,
    caseMode: o.ignoreCase ? 'insensitive' : o.caseSensitive ? 'sensitive' : 'smart',
    wholeWord: o.wordRegexp === true,
    ...(o.family !== undefined && { family: o.family }),
    ...(o.status !== undefined && { status: o.status }),
  };
}

function run(ctx: Context, q: SearchQuery): SearchHit[] {
  try {
    const catalog = ctx.catalog();
    // The shipped index describes the bundled catalog alone: with user catalogs, do not even read it.
    const index = catalog.catalogs.some((c) => c.userPath !== undefined) ? undefined : readPrebuilt(SEARCH_INDEX_FILE, decodeSearchIndex);
    return searchCatalog(catalog, q, index ? { index } : {});
  } catch (e) {
    // The pattern is the user's: escaped here, where it meets the terminal (a newline in it included).
    if (e instanceof PatternError) throw new CliError(e.pattern === undefined ? e.reason : `invalid regular expression '${sanitize(e.pattern)}': ${e.reason}`, e.exitCode);
    throw e;
  }
}

export async function runSearch(ctx: Context, patterns: readonly string[]): Promise<number> {
  const q = searchQuery(ctx, patterns);
  const hits = run(ctx, q);
  const o = ctx.options;
  const status = hits.length ? 0 : 1;
  if (o.quiet) return status;
  if (ctx.format === 'json') {
    ctx.out(
      renderJson('search', {
        query: { patterns: q.patterns, regexp: q.regexp, caseMode: q.caseMode, wholeWord: q.wholeWord, family: q.family ?? null, status: q.status ?? null },
        count: hits.length,
        results: hits.map((h) => ({ ...explainEntry(h.entry, h.variantOrder), matchedFields: h.matchedFields })),
      }),
    );
  } else if (o.count) {
    ctx.out(`${hits.length}\n`);
    return status;
  } else if (o.codesOnly) {
    if (hits.length) ctx.out(hits.map((h) => sanitize(h.entry.code)).join('\n') + '\n');
    return status;
  } else if (hits.length && (ctx.format === 'tsv' || ctx.format === 'md')) {
    const results = hits.map((h) => ({ ...explainEntry(h.entry, h.variantOrder), matchedFields: h.matchedFields }));
    ctx.out(renderResults(results, { format: ctx.format, lang: ctx.lang, style: ctx.style, columns: ctx.columns }));
  } else if (hits.length) {
    ctx.out(renderSearchHits(hits, { lang: ctx.lang, style: ctx.style, ...(ctx.format === 'table' && { clipWidth: ctx.columns }) }));
  }
  if (!hits.length) ctx.err(`ges-err: no code matches ${describe(q)}.\n`);
  return status;
}

function describe(q: SearchQuery): string {
  const words = q.patterns.map((p) => `'${sanitize(p)}'`).join(q.patterns.length === 2 ? ' and ' : ', ');
  const filters = [q.family ? `in family ${sanitize(q.family)}` : '', q.status ? `with HTTP status ${sanitize(q.status)}` : ''].filter(Boolean);
  return [q.patterns.length > 2 ? `all of ${words}` : words, ...filters].join(' ');
}
