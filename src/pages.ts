// Pages: output the build renders in advance into dist/pages/, so that the commonest runs print it
// instead of loading and running the code that renders it.
//
// - CODE.txt, CODE.json, list.txt, list.json: all that `ges-err CODE` and `ges-err list` (each also
//   with --json) print to a pipe. bin/ges-err.cjs prints them without loading any bundle (its
//   page()); src/main.ts's writePages makes them by those very runs.
// - CODE.match.txt: one free-text result for CODE as a pipe gets it (plain text, both languages, no
//   colour), rendered with MATCH_SLOT for what its "Matched" line says. A free-text run with those
//   settings fills the slot (fillMatchPage) instead of parsing the entries it shows and rendering
//   them: the slot holds all that differs from one query to another (the fields that matched and the
//   score), and the renderer drew everything else, so the two cannot differ.
//
// The loader names a page by hand (it cannot import this module); the names here are the same.

import path from 'node:path';
import type { CatalogEntry } from './catalog/types.js';
import { readWhole, utf8 } from './bytes.js';
import { distFile, isPrecompiled } from './prebuilt.js';
import { renderResults, type RenderOptions } from './render/index.js';
import { matchedText } from './render/sections.js';
import { PLAIN_STYLE } from './render/style.js';
import { explainEntry } from './result.js';

export const PAGES_DIR = 'pages';

/** A page's file name in dist/pages/: the code upper-cased (as the loader forms it), or `list`. */
export function pageName(name: string, kind: 'txt' | 'json' | 'match.txt'): string {
  return `${name === 'list' ? name : name.toUpperCase()}.${kind}`;
}

/** Stands for the "Matched" line's text in a match page: a NUL never occurs in rendered text. */
export const MATCH_SLOT = '\u0000matched\u0000';

/** How a match page is rendered; a run that would render otherwise does not use match pages. */
export const MATCH_PAGE_RENDER: RenderOptions = { format: 'plain', lang: 'both', style: PLAIN_STYLE, columns: 100 };

/** True when a run rendering with `o` would draw exactly what match pages hold (plain ignores the width). */
export function rendersAsMatchPage(o: Omit<RenderOptions, 'format'> & { format: string }): boolean {
  return o.format === MATCH_PAGE_RENDER.format && o.lang === MATCH_PAGE_RENDER.lang && o.style.enabled === MATCH_PAGE_RENDER.style.enabled;
}

/** The match page of an entry, its variants in catalog order (the build writes one per bundled code). */
export function renderMatchPage(entry: CatalogEntry): string {
  const page = renderResults([{ ...explainEntry(entry), matchedFields: [MATCH_SLOT] }], MATCH_PAGE_RENDER);
  if (page.indexOf(MATCH_SLOT) < 0 || page.indexOf(MATCH_SLOT) !== page.lastIndexOf(MATCH_SLOT)) throw new Error(`the match page of ${entry.code} does not hold its slot exactly once`);
  return page;
}

/** A match page with its slot filled: what renderResults draws for that result. */
export function fillMatchPage(page: string, fields: readonly string[], score: number): string {
  const at = page.indexOf(MATCH_SLOT);
  return page.slice(0, at) + matchedText(fields, score) + page.slice(at + MATCH_SLOT.length);
}

/** The text of dist/pages/NAME, or undefined: from source, or when the build wrote no such page. */
export function readPage(name: string): string | undefined {
  if (!isPrecompiled()) return undefined;
  try {
    return utf8(readWhole(distFile(PAGES_DIR + path.sep + name)));
  } catch {
    return undefined;
  }
}
