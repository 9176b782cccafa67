// Filters shared by list and search: --family (a family id or a code prefix) and --status
// (an HTTP status such as 408, or a class such as 5xx).

import type { Catalog } from './catalog/load.js';
import type { EntryHead } from './catalog/types.js';
import { foldCodeText } from './code.js';

export class FilterError extends Error {
  readonly exitCode = 2;
}

// Filters read only an entry's head (code, catalog, variants' statuses), so list can filter heads.
export type EntryFilter = (e: EntryHead) => boolean;

export function familyFilter(catalog: Catalog, family: string): EntryFilter {
  const f = foldCodeText(family).toLowerCase();
  const byId = catalog.families.find((x) => x.family === f);
  if (byId) return (e) => e.catalog.family === byId.family;
  const prefix = f.toUpperCase().replace(/[.*]+$/, '');
  if (catalog.prefixes.has(prefix)) return (e) => e.code.toUpperCase().startsWith(prefix + '.');
  const known = catalog.families.map((x) => x.family).join(', ');
  throw new FilterError(`unknown family '${family}'. Known families: ${known} (or a code prefix: ${[...catalog.prefixes].join(', ')})`);
}

export function statusFilter(status: string): EntryFilter {
  const s = status.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^([1-5])xx$/.exec(s))) {
    const cls = Number(m[1]);
    return (e) => e.variants.some((v) => v.httpStatus !== null && Math.floor(v.httpStatus / 100) === cls);
  }
  if (/^[1-5]\d\d$/.test(s)) {
    const n = Number(s);
    return (e) => e.variants.some((v) => v.httpStatus === n);
  }
  throw new FilterError(`--status takes an HTTP status such as 408 or a class such as 5xx, not '${status}'`);
}

/** Normalize a list prefix: "ges-70", "GES.7*", "ＧＥＳ．７０" -> "GES.70"; "GES" -> "GES.". */
export function normalizePrefix(prefix: string): string {
  const s = foldCodeText(prefix).replace(/\*+$/, '').toUpperCase();
  const m = /^([A-Z][A-Z0-9]*?)[\s._\-/:\u3002]*(\d*)$/.exec(s);
  if (!m) return s;
  return m[2] ? `${m[1]}.${m[2]}` : `${m[1]}.`;
}
