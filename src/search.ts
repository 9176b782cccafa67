// grep-style search over the catalog: every pattern must match some field (code, message,
// description, remediation, notes; either language). Plain string or regular-expression matching
// over folded field text; no fuzzy matching and no fuse.js here, so a search starts as fast as a lookup.

import type { Catalog } from './catalog/load.js';
import type { CatalogEntry, Lang, Variant } from './catalog/types.js';
import { entryFields, FIELD_NAMES, fieldKind, fold, isWholeWord, unfoldRange, type FieldName, type FieldText } from './fields.js';
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
  constructor(
    /** What is wrong, in words ("missing )"). */
    readonly reason: string,
    /** The pattern as given, when there is one to blame. */
    readonly pattern?: string,
  ) {
    super(pattern === undefined ? reason : `invalid regular expression '${pattern}': ${reason}`);
  }
}

export type Range = [start: number, end: number];

export interface FieldMatch {
  field: FieldText;
  /** Ranges in the field's original text, sorted, not overlapping. Empty ranges are dropped. */
  ranges: Range[];
}

export interface SearchHit {
  readonly entry: CatalogEntry;
  /** Variant indexes, the one with the most matches first (for explainEntry). */
  readonly variantOrder: number[];
  readonly matches: FieldMatch[];
  /** Distinct names of the fields that matched, in field order. */
  readonly matchedFields: FieldName[];
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
      throw new PatternError(explainRegexError((e as Error).message), pattern);
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
      caseSensitive,
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

/**
 * One field as search reads it: [name (index into FIELD_NAMES), variant, original text, folded
 * lower-case text or null when it equals the original, NFKC text or null when it equals the original].
 */
export type SearchRow = [name: number, variant: number, text: string, lower: string | null, nfkc: string | null];

/**
 * The text search reads, for every entry: the build writes it for the bundled catalog
 * (dist/search-index.json), so that a search runs no per-field folding code at start-up.
 */
export interface SearchIndexData {
  version: 1;
  /** Codes of the entries, in catalog order: the index only serves the same catalog. */
  codes: string[];
  rows: SearchRow[][];
}

function toRows(fields: readonly FieldText[]): SearchRow[] {
  return fields.map((f) => {
    const lower = fold(f.text).text;
    const nfkc = fold(f.text, true).text;
    return [FIELD_NAMES.indexOf(f.name), f.variant, f.text, lower === f.text ? null : lower, nfkc === f.text ? null : nfkc];
  });
}

export function buildSearchIndexData(catalog: Catalog): SearchIndexData {
  return { version: 1, codes: catalog.entries.map((e) => e.code), rows: catalog.entries.map((e) => toRows(entryFields(e))) };
}

function sameCatalog(data: { version: number; codes: readonly string[] }, catalog: Catalog): boolean {
  return data.version === 1 && data.codes.length === catalog.entries.length && catalog.entries.every((e, i) => e.code === data.codes[i]);
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

function rowField(row: SearchRow): FieldText {
  const name = FIELD_NAMES[row[0]]!;
  const kind = fieldKind(name);
  return { name, kind, lang: kind === 'code' ? null : (name.slice(-2) as Lang), variant: row[1], text: row[2] };
}

/** Matches found in one row, per folding, in folded offsets; turned into FieldMatch only when asked. */
interface RowFound {
  row: SearchRow;
  lower: Range[];
  nfkc: Range[];
}

function toFieldMatch(f: RowFound): FieldMatch {
  const text = f.row[2];
  const ranges: Range[] = [];
  for (const [found, caseSensitive] of [[f.lower, false], [f.nfkc, true]] as const) {
    if (!found.length) continue;
    const same = (caseSensitive ? f.row[4] : f.row[3]) === null;
    const fd = same ? undefined : fold(text, caseSensitive);
    for (const [s, e] of found) ranges.push(fd ? unfoldRange(fd, s, e, text.length) : [s, e]);
  }
  return { field: rowField(f.row), ranges: mergeRanges(ranges) };
}

export interface SearchOptions {
  /** The text index the build wrote for the bundled catalog; ignored unless built from this catalog. */
  index?: SearchIndexData;
}

/** Search the catalog. Throws PatternError for a bad pattern and FilterError for a bad filter. */
export function searchCatalog(catalog: Catalog, q: SearchQuery, opts: SearchOptions = {}): SearchHit[] {
  const matchers = compilePatterns(q);
  const filters: EntryFilter[] = [];
  if (q.family) filters.push(familyFilter(catalog, q.family));
  let statusOk: EntryFilter | undefined;
  if (q.status) filters.push((statusOk = statusFilter(q.status)));
  const data = opts.index && sameCatalog(opts.index, catalog) ? opts.index : undefined;
  const hits: SearchHit[] = [];
  catalog.entries.forEach((entry, i) => {
    for (const f of filters) if (!f(entry)) return;
    let rows: SearchRow[];
    let allowed: boolean[] | undefined;
    if (statusOk) {
      // With --status, only the variants documented with that status are searched.
      const ok = statusOk;
      allowed = entry.variants.map((v: Variant) => ok({ ...entry, variants: [v] }));
      rows = toRows(entryFields(entry, (v) => allowed![v]!));
    } else rows = data ? data.rows[i]! : toRows(entryFields(entry));
    const found = new Map<SearchRow, RowFound>();
    for (const m of matchers) {
      let any = false;
      for (const row of rows) {
        const text = m.caseSensitive ? (row[4] ?? row[2]) : (row[3] ?? row[2]);
        const ranges = m.find(text);
        if (!ranges.length) continue;
        any = true;
        let f = found.get(row);
        if (!f) found.set(row, (f = { row, lower: [], nfkc: [] }));
        (m.caseSensitive ? f.nfkc : f.lower).push(...ranges);
      }
      if (!any) return;
    }
    hits.push(new Hit(entry, [...found.values()], allowed));
  });
  return hits;
}

class Hit implements SearchHit {
  readonly matchedFields: FieldName[];
  #matches: FieldMatch[] | undefined;
  #order: number[] | undefined;
  constructor(
    readonly entry: CatalogEntry,
    private readonly found: RowFound[],
    private readonly allowed: readonly boolean[] | undefined,
  ) {
    this.matchedFields = [...new Set(found.map((f) => FIELD_NAMES[f.row[0]]!))];
  }
  /** Computed when first read: -l, -c and -q never need the offsets. */
  get matches(): FieldMatch[] {
    return (this.#matches ??= this.found.map(toFieldMatch));
  }
  /** Allowed variants with the most matching fields first; otherwise the catalog's order. */
  get variantOrder(): number[] {
    if (!this.#order) {
      const count = this.entry.variants.map((_, v) => this.found.filter((f) => f.row[1] === v).length + (!this.allowed || this.allowed[v] ? 0.5 : 0));
      this.#order = this.entry.variants.map((_, v) => v).sort((a, b) => count[b]! - count[a]! || a - b);
    }
    return this.#order;
  }
}
