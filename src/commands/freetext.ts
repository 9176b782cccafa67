// `ges-err <text>` when the text is neither a code nor a pasted response: the catalog entries whose
// messages, descriptions, remediation or notes match it best, ranked, each saying which field matched.
// Close candidates are all shown; when nothing matches well, no candidate at all (exit 1).

import { codesWithin, type CodeWithin } from '../code.js';
import type { Context } from '../context.js';
import { decodeFreeTextIndex, MAX_RESULTS, matchFreeText } from '../fuzzy.js';
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

export async function runFreeText(ctx: Context, text: string): Promise<number> {
  const catalog = ctx.catalog();
  // The shipped index describes the bundled catalog alone: with user catalogs, do not even read it.
  const index = catalog.catalogs.some((c) => c.userPath !== undefined) ? undefined : readPrebuilt(FREE_TEXT_INDEX_FILE, decodeFreeTextIndex);
  const { shown, close } = await matchFreeText(catalog, text, index ? { index } : {});
  const results: AnyResult[] = shown.map((m) => ({ ...explainEntry(m.entry, m.variantOrder), score: round(m.score), matchedFields: m.matchedFields }));
  printResults(ctx, 'explain', results, { query: text, mode: 'free-text' });
  statusHint(ctx, text);
  const quoted = quoteInput(text);
  if (!results.length) {
    ctx.err(`ges-err: ${quoted} is not an error code, and no message, description or remediation matches it well.\n`);
    // "GES.7018x", "errorCode=GES.7018;": a known code inside the text is most likely what was meant.
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
