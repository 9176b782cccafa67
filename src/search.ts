// grep-style search over the catalog: every pattern must match some field (code, message,
// description, remediation, notes; either language). Plain string or regular-expression matching
// over folded field text; no fuzzy matching and no fuse.js here, so a search starts as fast as a lookup.

import type { Catalog } from './catalog/load.js';
import type { CatalogEntry, Variant } from './catalog/types.js';
import { entryFields, fold, isWholeWord, unfoldRange, type FieldName, type FieldText, type Folded } from './fields.js';
import { familyFilter, statusFilter, type EntryFilter } from './filters.js';

export interface SearchQuery {
  patterns: readonly string[];
  /** Patterns are regular expressions (JavaScript syntax, Unicode mode); otherwise literal strings. */
  regexp?: boolean;
  /** 'smart' (the default): case-insensitive unless a pattern contains a capital letter. */
  caseMode?: 'smart' | 'insensitive' | 'sensitive';
  /** Whole words only: see isWholeWord in fields.ts for what a word is in Chinese. */
  wholeWord?: boolean;
  family?: string;
  status?: string;
}

/** A pattern that cannot be used; exit status 2. */
export class PatternError extends Error {
  readonly exitCode = 2;
}

export type Range = [start: number, end: number];

export interface FieldMatch {
  field: FieldText;
  /** Ranges in the field's original text, sorted, not overlapping. Empty ranges are dropped. */
  ranges: Range[];
}

export interface SearchHit {
  entry: CatalogEntry;
  /** Variant indexes, the one with the most matches first (for explainEntry). */
  variantOrder: number[];
  matches: FieldMatch[];
  /** Distinct names of the fields that matched, in field order. */
  matchedFields: FieldName[];
}

interface Matcher {
  caseSensitive: boolean;
  /** Every match in folded text; an empty array when there is none. */
  find(text: string): Range[];
}

// ---- patterns -----------------------------------------------------------------------------------

/** Capital letters in a pattern, ignoring regex escapes such as \D, \S, \W and \p{Lu}. */
function hasCapital(pattern: string, regexp: boolean): boolean {
  const s = regexp ? pattern.replace(/\\[pP]\{[^}]*\}|\\./gu, '') : pattern;
  return /\p{Lu}/u.test(s.normalize('NFKC'));
}

// In a regular expression, full-width punctuation stays literal: "（" folds to "\(", not to a group.
const REGEX_SYNTAX = new Set([...'\\^$.*+?()[]{}|/-']);
function foldRegexSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    const n = ch.normalize('NFKC');
    out += n !== ch && n.length === 1 && REGEX_SYNTAX.has(n) ? `\\${n}` : n;
  }
  return out;
}

const REGEX_ERRORS: [RegExp, string][] = [
  [/Unterminated group/i, 'missing )'],
  [/Unmatched '\)'/i, 'unmatched ) (write \\) for a literal parenthesis)'],
  [/Unterminated character class/i, 'missing ]'],
  [/Nothing to repeat/i, 'nothing to repeat before *, +, ? or {n} (write \\* for a literal *)'],
  [/numbers out of order/i, 'numbers out of order in {n,m}'],
  [/Incomplete quantifier|Lone quantifier/i, 'incomplete {n,m} (write \\{ for a literal brace)'],
  [/\\ at end of pattern/i, 'trailing backslash (write \\\\ for a literal backslash)'],
  [/Range out of order/i, 'range out of order in [...]'],
  [/Invalid (capture )?group( name)?/i, 'invalid group after ('],
  [/Invalid (escape|unicode escape|property name)/i, 'invalid escape sequence'],
];

/** The engine's message in words: "Invalid regular expression: /a(/u: Unterminated group" -> "missing )". */
export function explainRegexError(message: string): string {
  for (const [re, words] of REGEX_ERRORS) if (re.test(message)) return words;
  const tail = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  return tail.charAt(0).toLowerCase() + tail.slice(1);
}

function compileRegex(source: string, flags: string, pattern: string): RegExp {
  try {
    return new RegExp(source, flags + 'u');
  } catch (e) {
    // Without the u flag a lone "{" or an unknown escape such as "\-" is a literal, as in grep -E.
    try {
      return new RegExp(source, flags);
    } catch {
      throw new PatternError(`invalid regular expression '${pattern}': ${explainRegexError((e as Error).message)}`);
    }
  }
}

function compile(pattern: string, q: SearchQuery): Matcher {
  const mode = q.caseMode ?? 'smart';
  const caseSensitive = mode === 'sensitive' || (mode === 'smart' && hasCapital(pattern, q.regexp === true));
  const whole = q.wholeWord === true;
  if (q.regexp) {
    // m: ^ and $ anchor at the lines of a field (remediation steps, notes), as grep's do.
    const re = compileRegex(foldRegexSource(pattern), caseSensitive ? 'gm' : 'gim', pattern);
    return {
      caseSensitive: true, // regex matching runs on NFKC text; the i flag handles case
      find(text) {
        const out: Range[] = [];
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          const start = m.index;
          const end = start + m[0].length;
          if (end === start) {
            re.lastIndex = start + 1;
            if (!whole) out.push([start, end]);
          } else if (!whole || isWholeWord(text, start, end)) out.push([start, end]);
          else re.lastIndex = start + 1;
          if (re.lastIndex > text.length) break;
        }
        return out;
      },
    };
  }
  const needle = fold(pattern, caseSensitive).text;
  if (needle === '') throw new PatternError('empty pattern: give at least one character to search for');
  return {
    caseSensitive,
    find(text) {
      const out: Range[] = [];
      for (let i = text.indexOf(needle); i >= 0; ) {
        const end = i + needle.length;
        if (!whole || isWholeWord(text, i, end)) {
          out.push([i, end]);
          i = text.indexOf(needle, end);
        } else i = text.indexOf(needle, i + 1);
      }
      return out;
    },
  };
}

/** Compile every pattern, or throw PatternError for the first one that cannot be used. */
export function compilePatterns(q: SearchQuery): Matcher[] {
  if (q.patterns.length === 0) throw new PatternError('no pattern given');
  return q.patterns.map((p) => compile(p, q));
}

// ---- matching -----------------------------------------------------------------------------------

interface IndexedField extends FieldText {
  folded: [Folded | undefined, Folded | undefined];
}

function folded(f: IndexedField, caseSensitive: boolean): Folded {
  const i = caseSensitive ? 1 : 0;
  return (f.folded[i] ??= fold(f.text, caseSensitive));
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Search the catalog. Throws PatternError for a bad pattern and FilterError for a bad filter. */
export function searchCatalog(catalog: Catalog, q: SearchQuery): SearchHit[] {
  const matchers = compilePatterns(q);
  const filters: EntryFilter[] = [];
  if (q.family) filters.push(familyFilter(catalog, q.family));
  let statusOk: EntryFilter | undefined;
  if (q.status) filters.push((statusOk = statusFilter(q.status)));
  const hits: SearchHit[] = [];
  for (const entry of catalog.entries) {
    if (!filters.every((f) => f(entry))) continue;
    // With --status, only the variants documented with that status are searched.
    const allowed = entry.variants.map((v: Variant) => !statusOk || statusOk({ ...entry, variants: [v] }));
    const fields = entryFields(entry, (i) => allowed[i]!).map((f): IndexedField => ({ ...f, folded: [undefined, undefined] }));
    const found = new Map<IndexedField, Range[]>();
    let all = true;
    for (const m of matchers) {
      let any = false;
      for (const f of fields) {
        const fd = folded(f, m.caseSensitive);
        const ranges = m.find(fd.text);
        if (!ranges.length) continue;
        any = true;
        const list = found.get(f) ?? [];
        for (const [s, e] of ranges) list.push(unfoldRange(fd, s, e, f.text.length));
        found.set(f, list);
      }
      if (!any) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    const matches = [...found].map(([field, ranges]) => ({ field: stripIndex(field), ranges: mergeRanges(ranges) }));
    hits.push({ entry, variantOrder: variantOrder(entry, matches, allowed), matches, matchedFields: [...new Set(matches.map((m) => m.field.name))] });
  }
  return hits;
}

function stripIndex(f: IndexedField): FieldText {
  const { folded: _, ...rest } = f;
  return rest;
}

/** Allowed variants with the most matching fields first; otherwise the catalog's order. */
function variantOrder(entry: CatalogEntry, matches: readonly FieldMatch[], allowed: readonly boolean[]): number[] {
  const count = entry.variants.map((_, i) => matches.filter((m) => m.field.variant === i).length + (allowed[i] ? 0.5 : 0));
  return entry.variants.map((_, i) => i).sort((a, b) => count[b]! - count[a]! || a - b);
}
