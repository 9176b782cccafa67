// Explain codes given on the command line: exact lookup first; for a code the catalog does not
// have, say whose it probably is and suggest the nearest known codes.

import { findByCode, type Catalog } from './catalog/load.js';
import type { CodeQuery } from './code.js';
import { reasonPhrase } from './fields.js';
import { explainEntry, type ExplainedResult } from './result.js';
import { suggestCodes, type Suggestion } from './suggest.js';

export interface NotFound {
  input: string;
  code: string;
  /** not-in-catalog: a family ges-err knows, but no such code; other-service: a prefix no catalog has. */
  reason: 'not-in-catalog' | 'other-service';
  suggestions: Suggestion[];
  hint: string | null;
  /** Set when the input called the number an HTTP status ("HTTP 404", "status 403") and it is one. */
  httpStatus?: number;
}

export interface ExplainOutcome {
  results: ExplainedResult[];
  notFound: NotFound[];
}

/** Prefixes that look alike but are different services; never map one onto the other. */
const LOOKALIKES: Record<string, string> = {
  APIG: 'APIG.* codes come from a dedicated API Gateway instance (ROMA/APIG), not from the shared gateway (APIGW.*).',
};

export function explainCodes(catalog: Catalog, codes: readonly { input: string; code: CodeQuery; statusLead?: string }[]): ExplainOutcome {
  const results: ExplainedResult[] = [];
  const notFound: NotFound[] = [];
  const seen = new Set<string>();
  for (const { input, code, statusLead } of codes) {
    const entries = findByCode(catalog, code);
    if (entries.length) {
      for (const e of entries) {
        if (seen.has(e.code)) continue;
        seen.add(e.code);
        results.push(explainEntry(e));
      }
      continue;
    }
    notFound.push(notFoundFor(catalog, input, code, true, statusLead));
  }
  return { results, notFound };
}

/**
 * What to say of a number that is an HTTP status GES or API Gateway returns ("an HTTP status (Not
 * Found): to list the codes documented with it, run: ges-err list --status 404"), or undefined.
 */
export function statusPointer(number: string): string | undefined {
  const phrase = reasonPhrase(Number(number));
  return phrase && statusSentence(number, phrase);
}

/** "an HTTP status (Not Found): to list the codes documented with it, run: ges-err list --status 404" */
function statusSentence(number: string, phrase: string | undefined): string {
  return `an HTTP status${phrase ? ` (${phrase})` : ''}: to list the codes documented with it, run: ges-err list --status ${number}`;
}

/**
 * Why a code is not explained: another service's code, or a known family without this code, or
 * (after a word such as HTTP, `statusLead`) an HTTP status.
 */
export function notFoundFor(catalog: Catalog, input: string, code: CodeQuery, suggest = true, statusLead?: string): NotFound {
  // "HTTP 404": the status line of a response, not a code; the codes of similar numbers mean nothing.
  if (statusLead !== undefined && code.prefix === null && /^[1-5]\d\d$/.test(code.number)) {
    const status = Number(code.number);
    const hint = `${statusLead} ${input} is ${statusSentence(code.number, reasonPhrase(status))}`;
    return { input: `${statusLead} ${input}`, code: code.canonical, reason: 'not-in-catalog', suggestions: [], hint, httpStatus: status };
  }
  if (code.prefix !== null && !catalog.prefixes.has(code.prefix)) {
    const lookalike = LOOKALIKES[code.prefix];
    // "GE.7018" is more likely a slip than another service: offer the same number under a known prefix.
    const suggestions = lookalike || !suggest ? [] : suggestCodes(catalog, code);
    const other = `${code.prefix}.* codes belong to another Huawei Cloud service; ges-err has no catalog for them (add one with --catalog).`;
    return { input, code: code.canonical, reason: 'other-service', suggestions, hint: lookalike ?? (suggestions.length ? `Otherwise, ${other}` : other) };
  }
  let hint = code.prefix !== null && code.number.length < 4 ? `To list every code starting with ${code.canonical}, run: ges-err list ${code.canonical}` : null;
  // "503" alone is most likely the HTTP status a call got (one GES or API Gateway returns): point at
  // the codes documented with it.
  const status = code.prefix === null && code.number.length === 3 ? statusPointer(code.number) : undefined;
  if (status) hint = `${code.number} is also ${status}`;
  return { input, code: code.canonical, reason: 'not-in-catalog', suggestions: suggest ? suggestCodes(catalog, code) : [], hint };
}
