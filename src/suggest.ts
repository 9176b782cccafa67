// "Did you mean": the known codes nearest to a code that is not in the catalog. Conservative by
// design: only codes within a small edit distance, same family first, never a random guess.

import type { Catalog } from './catalog/load.js';
import type { CodeQuery } from './code.js';

export interface Suggestion {
  code: string;
  /** Why it was suggested, in words a person reads on stderr. */
  reason: string;
  distance: number;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

const MAX_SUGGESTIONS = 5;

/** A catalog's codes by upper-case prefix, each with its number: made once per catalog, from its code list. */
const byPrefix = new WeakMap<Catalog, Map<string, { code: string; number: string }[]>>();
function codesByPrefix(catalog: Catalog): Map<string, { code: string; number: string }[]> {
  let m = byPrefix.get(catalog);
  if (!m) {
    m = new Map();
    // The code list, not the entries: a 50,000-code user catalog is not parsed to suggest a code.
    for (const code of catalog.codes) {
      const [prefix, number] = code.toUpperCase().split('.') as [string, string];
      const list = m.get(prefix);
      if (list) list.push({ code, number });
      else m.set(prefix, [{ code, number }]);
    }
    byPrefix.set(catalog, m);
  }
  return m;
}

/**
 * The known codes nearest to `query`: same family first, then fewer edits, a swap of two digits (the
 * likeliest slip) before other single edits, then the nearest number. Only the nearest distance is
 * kept: when a code is one edit away, codes two edits away are noise. For a prefix no catalog has
 * ("GE.7018"), only the same number under a prefix one edit away counts.
 */
export function suggestCodes(catalog: Catalog, query: CodeQuery): Suggestion[] {
  const scored: (Suggestion & { sameFamily: boolean; swapped: boolean; gap: number })[] = [];
  const qn = Number(query.number);
  const knownPrefix = query.prefix === null || catalog.prefixes.has(query.prefix);
  for (const [prefix, codes] of codesByPrefix(catalog)) {
    const sameFamily = query.prefix === null || prefix === query.prefix;
    const prefixDistance = query.prefix === null ? 0 : editDistance(query.prefix, prefix);
    if (prefixDistance > 1) continue;
    for (const { code, number } of codes) {
      // Numbers whose lengths differ by more than two edits can take are skipped unmeasured.
      if (Math.abs(number.length - query.number.length) > 2) continue;
      const numberDistance = editDistance(query.number, number);
      if (!knownPrefix && numberDistance > 0) continue;
      const distance = prefixDistance + numberDistance;
      if (distance === 0 || distance > 2 || numberDistance > 1 + (number.length > 3 ? 1 : 0)) continue;
      let reason: string;
      const swapped = numberDistance === 1 && query.number.length === number.length && [...query.number].sort().join() === [...number].sort().join();
      if (prefixDistance === 0) reason = swapped ? 'digits swapped' : numberDistance === 1 ? 'one digit away' : 'two digits away';
      else reason = numberDistance === 0 ? `same number, prefix ${prefix}` : `similar prefix and number`;
      scored.push({ code, reason, distance, sameFamily, swapped, gap: Math.abs(Number(number) - qn) });
    }
  }
  if (!scored.length) return [];
  const nearest = Math.min(...scored.map((s) => s.distance));
  return scored
    .filter((s) => s.distance === nearest)
    .sort((a, b) => Number(b.sameFamily) - Number(a.sameFamily) || Number(b.swapped) - Number(a.swapped) || a.gap - b.gap || (a.code < b.code ? -1 : 1))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ code, reason, distance }) => ({ code, reason, distance }));
}
