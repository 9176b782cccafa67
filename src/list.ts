// `ges-err list [PREFIX]`: the codes of the catalog, all or filtered by prefix, family and status.

import type { Catalog, FamilySummary } from './catalog/load.js';
import type { CatalogEntry, EntryHead } from './catalog/types.js';
import { foldCodeText } from './code.js';
import { familyFilter, normalizePrefix, statusFilter, type EntryFilter } from './filters.js';

export interface ListOutcome<E extends EntryHead = CatalogEntry> {
  entries: E[];
  families: FamilySummary[];
}

/**
 * The codes to list. With `heads`, entries are EntryHeads (code, catalog, variants' status and
 * message), which is all a human listing shows and much cheaper to load than whole entries.
 */
export function listCodes(catalog: Catalog, prefix: string | undefined, opts: { family?: string; status?: string }): ListOutcome;
export function listCodes(catalog: Catalog, prefix: string | undefined, opts: { family?: string; status?: string }, heads: true): ListOutcome<EntryHead>;
export function listCodes(catalog: Catalog, prefix: string | undefined, opts: { family?: string; status?: string }, heads = false): ListOutcome<EntryHead> {
  const filters: EntryFilter[] = [];
  if (prefix) {
    const lower = prefix.trim().toLowerCase();
    const fam = catalog.families.find((f) => f.family === lower);
    const digits = /^(\d+)\*?$/.exec(foldCodeText(prefix));
    if (fam) filters.push((e) => e.catalog.family === fam.family);
    // A bare number ("70", "70*") is the start of the number part, in every family.
    else if (digits) filters.push((e) => e.code.slice(e.code.indexOf('.') + 1).startsWith(digits[1]!));
    else {
      const p = normalizePrefix(prefix);
      filters.push((e) => e.code.toUpperCase().startsWith(p));
    }
  }
  if (opts.family) filters.push(familyFilter(catalog, opts.family));
  if (opts.status) filters.push(statusFilter(opts.status));
  const entries = (heads ? catalog.heads : catalog.entries).filter((e) => filters.every((f) => f(e)));
  return { entries, families: summarize(catalog, entries) };
}

export function summarize(catalog: Catalog, entries: readonly EntryHead[]): FamilySummary[] {
  return catalog.families
    .map((f) => {
      const mine = entries.filter((e) => e.catalog.family === f.family);
      return { ...f, codes: mine.length, variants: mine.reduce((n, e) => n + e.variants.length, 0) };
    })
    .filter((f) => f.codes > 0);
}
