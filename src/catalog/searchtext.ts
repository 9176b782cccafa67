// The text of an entry that search can match, folded for a prefilter: Catalog.candidates(needles)
// finds the entries whose folded text contains every folded needle without parsing the others. In a
// pack it is stored per entry and scanned as bytes, so a search of a 50,000-code catalog parses only
// the entries that can match.
//
// The fold is compatibility decomposition (NFKD) and lower case, with final sigma read as sigma: if a
// field, folded with NFKC and lower case (as search does), contains a needle folded likewise, then
// the entry's text folded here contains the needle folded here. Decomposed text keeps that true for
// accented letters ("e" is found in "é" whichever way either was written), which composed text would
// not; a needle that itself holds combining marks is the exception, so foldNeedle refuses it.

import type { CatalogEntry } from './types.js';

const NON_ASCII = /[^\u0000-\u007f]/;
// Built on first use: a Unicode property class costs a start-up that never searches ~0.1-0.5 ms.
let MARK: RegExp | undefined;

/** Fold text for the prefilter. */
export function foldText(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return s.normalize('NFKD').toLowerCase().normalize('NFKD').replace(/\u03c2/g, 'σ'); // final sigma ς as σ
}

/** Fold a needle, or undefined when the prefilter cannot vouch for it (empty, or combining marks). */
export function foldNeedle(s: string): string | undefined {
  const f = foldText(s);
  // ASCII has no combining marks: most needles are spared building the class (~0.3 ms of ICU).
  return f === '' || (NON_ASCII.test(f) && (MARK ??= /\p{M}/u).test(f)) ? undefined : f;
}

/** Every text of an entry (code, messages, descriptions, remediation steps, notes), one per line, folded. */
export function entrySearchText(e: CatalogEntry): string {
  const out: string[] = [e.code];
  const notes = (list: CatalogEntry['notes']) => {
    for (const n of list) for (const t of [n.en, n.zh]) if (t) out.push(t.text);
  };
  for (const v of e.variants) {
    for (const t of [v.message.en, v.message.zh, v.description.en, v.description.zh]) if (t) out.push(t.text);
    for (const s of [v.remediation.en, v.remediation.zh]) if (s) out.push(...s.steps);
    notes(v.notes);
  }
  notes(e.notes);
  return foldText(out.join('\n'));
}
