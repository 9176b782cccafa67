// `ges-err <text>` when the text is neither a code nor a pasted response: the catalog entries whose
// messages, descriptions, remediation or notes match it best, ranked, each saying which field matched.
// Close candidates are all shown; when nothing matches well, no candidate at all (exit 1).

import { codesWithin, type CodeWithin } from '../code.js';
import type { Context } from '../context.js';
import { decodeFreeTextIndex, MAX_RESULTS, matchFreeText, matchWithShippedIndex, type FreeTextMatch } from '../fuzzy.js';
import { fillMatchPage, pageName, readPage, rendersAsMatchPage } from '../pages.js';
import { FREE_TEXT_INDEX_FILE, readPrebuilt } from '../prebuilt.js';
import { quoteInput } from '../render/sanitize.js';
import type { AnyResult } from '../render/sections.js';
import { statusPointer } from '../explain.js';
import { explainEntry } from '../result.js';
import { printResults } from './output.js';

/**
 * "HTTP 403 Forbidden", "got status 429": the status line is often all a person has, and many codes
 * share a status. Point at them all (on stderr, whatever matched).
 */
function statusHint(ctx: Context, text: string): void {
  // String tests first: a regular expression is compiled on its first use, and most queries name no status.
  const lower = text.toLowerCase();
  if (!lower.includes('http') && !lower.includes('status')) return;
  const m = /(?<![\d.])([1-5]\d\d)(?![\d.])/.exec(text);
  const status = m ? statusPointer(m[1]!) : undefined;
  if (status) ctx.err(`ges-err: ${m![1]} is ${status}\n`);
}

/** Scores are shown and exported rounded: more digits would only suggest a precision they lack. */
const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The matches as their match pages print them, or undefined when one has no page, or shows its
 * variants in another order than the page (its best-matching variant is not its first).
 */
function fillMatchPages(shown: readonly FreeTextMatch[]): string | undefined {
  let out = '';
  for (let i = 0; i < shown.length; i++) {
    const m = shown[i]!;
    for (let v = 0; v < m.variantOrder.length; v++) if (m.variantOrder[v] !== v) return undefined;
    const page = readPage(pageName(m.code, 'match.txt'));
    if (page === undefined) return undefined;
    out += (i ? '\n' : '') + fillMatchPage(page, m.matchedFields, round(m.score));
  }
  return out;
}

export async function runFreeText(ctx: Context, text: string): Promise<number> {
  // The shipped index describes the bundled catalog alone: with user catalogs, do not even read it.
  // With it, ranking opens no catalog, and printing from the pages reads no entry from it.
  const index = ctx.userCatalogs.length ? undefined : readPrebuilt(FREE_TEXT_INDEX_FILE, decodeFreeTextIndex);
  const { shown, close } = index ? await matchWithShippedIndex(index, text, (code) => ctx.catalog().entryFor(code)!) : await matchFreeText(ctx.catalog(), text);
  // The build's match pages hold these results rendered, but for their "Matched" lines (pages.ts).
  const fromPages = index && shown.length && rendersAsMatchPage(ctx) ? fillMatchPages(shown) : undefined;
  if (fromPages !== undefined) ctx.out(fromPages);
  else {
    const results: AnyResult[] = shown.map((m) => ({ ...explainEntry(m.entry, m.variantOrder), score: round(m.score), matchedFields: m.matchedFields }));
    printResults(ctx, 'explain', results, { query: text, mode: 'free-text' });
  }
  statusHint(ctx, text);
  const quoted = quoteInput(text);
  if (!shown.length) {
    ctx.err(`ges-err: ${quoted} is not an error code, and no message, description or remediation matches it well.\n`);
    // "GES.7018x", "errorCode=GES.7018;": a known code inside the text is most likely what was meant.
    const catalog = ctx.catalog();
    const known = codesWithin(text).filter((c) => catalog.find(c).length > 0);
    // "GES.7O18": say which letters were read as digits, so the typo is seen.
    const reading = (c: CodeWithin) => (c.lookalikes ? ` (reading ${c.lookalikes.map((l) => `${l.letter} as ${l.digit}`).join(' and ')})` : '');
    if (known.length) ctx.err(`Did you mean ${known.map((c) => `'ges-err ${c.canonical}'${reading(c)}`).join(' or ')}?\n`);
    else ctx.err(`Try other words, 'ges-err search WORD' for exact text, or 'ges-err list' to browse the codes.\n`);
    return 1;
  }
  if (close > shown.length) {
    ctx.err(`ges-err: ${close} codes match ${quoted} about equally well; the best ${MAX_RESULTS} are shown. Add words to narrow it down, or run 'ges-err search' for every code that contains them.\n`);
  } else if (close > 1) {
    ctx.err(`ges-err: ${close} codes match ${quoted} about equally well; all are shown, best first.\n`);
  }
  return 0;
}
