// grep-style search over the catalog: every pattern must match some field (code, message,
// description, remediation, notes; either language). Plain string or regular-expression matching
// over folded field text; no fuzzy matching and no fuse.js here, so a search starts as fast as a lookup.

import type { Catalog } from './catalog/load.js';
import type { CatalogEntry, EntryHead } from './catalog/types.js';
import { entryFields, FIELD_NAMES, fold, isPlainAscii, isWholeWord, unfoldRange, type FieldName, type FieldText, type Folded } from './fields.js';
import { familyFilter, statusFilter, type EntryFilter } from './filters.js';
import { utf8 } from './bytes.js';
import { readSections, writeSections } from './prebuilt.js';

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

/** A literal pattern: its folded text is searched for in all fields at once (SearchIndex.findLiteral). */
interface LiteralMatcher {
  caseSensitive: boolean;
  /** -w: only matches that are whole words count. */
  whole: boolean;
  needle: string;
}

/** A regular expression: it goes field by field. */
interface RegexMatcher {
  caseSensitive: boolean;
  whole: boolean;
  needle?: undefined;
  /** Every match in folded text; an empty array when there is none. */
  find(text: string): Range[];
}

type Matcher = LiteralMatcher | RegexMatcher;

// ---- patterns -----------------------------------------------------------------------------------

/** Capital letters in a pattern, ignoring regex escapes such as \D, \S, \W and \p{Lu}. */
export function hasCapital(pattern: string, regexp: boolean): boolean {
  const s = regexp ? pattern.replace(/\\[pP]\{[^}]*\}|\\./gu, '') : pattern;
  const n = s.normalize('NFKC');
  // The Unicode class costs ~0.3 ms to compile: asked only of text with no ASCII capital that
  // lower-casing changes (after NFKC every \p{Lu} has a lower case; see scan in fuzzy.ts), so a
  // Chinese pattern, or one such as 弹性IP, is spared it.
  if (/[A-Z]/.test(n)) return true;
  if (isPlainAscii(n) || n.toLowerCase() === n) return false;
  return /\p{Lu}/u.test(n);
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
      whole,
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
  // NUL separates the fields of the search index; no pattern typed on a command line holds one.
  if (needle.includes(SEP)) throw new PatternError('a pattern cannot contain a NUL character');
  return { caseSensitive, needle, whole };
}

/** Compile every pattern, or throw PatternError for the first one that cannot be used. */
export function compilePatterns(q: SearchQuery): Matcher[] {
  if (q.patterns.length === 0) throw new PatternError('no pattern given');
  return q.patterns.map((p) => compile(p, q));
}

// ---- matching -----------------------------------------------------------------------------------

/** Ends every field in the index's texts: a NUL, which no field holds and which is no word character. */
const SEP = '\u0000';

/**
 * The text search reads: every field of every entry, folded, in two long texts (lower case, and
 * case kept), so that a literal pattern is found across the whole catalog in one pass. The build
 * writes it for the bundled catalog (dist/search-index.bin, see encodeSearchIndex): there the two
 * texts are UTF-8 bytes, searched as bytes, so a run neither decodes them nor holds them as strings
 * (decoding ~100 KB with Chinese in it, and the page faults of the two-byte strings it makes, cost
 * a search ~1 ms); the rest (fixed-width base-36 cells) is read in place, and objects are made only
 * for the entries that match.
 */
export interface SearchIndexData {
  version: 4;
  /** Codes of the entries, in catalog order, one per line: the index only serves that catalog. */
  codes: string;
  /** The catalog's codesDigest: an index is used only for a catalog with the same (no code list is read to check). */
  codesDigest: string;
  /** Width of every cell below (base-36 digits). */
  width: number;
  /** Every field, NFKC-folded with its case, in UTF-8, each followed by a NUL byte. */
  nfkc: Uint8Array;
  /**
   * Every field, NFKC-folded and lower-cased, in UTF-8, each followed by a NUL byte. Written even
   * when it is just nfkc lower-cased: lower-casing at run time would decode the text.
   */
  lower: Uint8Array;
  /**
   * Per field + 1: the byte where it starts in nfkc / in lower (the last cell is the length);
   * lowerStart (and sameLower) null when lower has nfkc's offsets, as for the bundled catalog.
   */
  nfkcStart: string;
  lowerStart: string | null;
  /** Per entry + 1: its first field (fields are stored entry by entry, in entryFields order). */
  entryStart: string;
  /** Per field, one digit: index into FIELD_NAMES. */
  fieldName: string;
  /** Per field: the variants the text belongs to, as a bit mask (base 36). */
  fieldVariants: string;
  /** Per field, "1" where folding kept the original's offsets (nfkc, then lower): no map to highlight. */
  sameNfkc: string;
  sameLower: string | null;
}

const b36 = (n: number) => n.toString(36);

/**
 * The fields of some entries, folded (offsets in UTF-16 code units): what a run builds for user
 * catalogs. The per-field columns are typed arrays, made at their size: their contents live outside
 * V8's young generation, which a search of a large user catalog fills more than once (each
 * collection ~1 ms), and no array copies itself as it grows.
 */
export interface RawSearchIndex {
  codes: string[];
  nfkc: string;
  lower: string;
  /** Per field + 1: where it starts in nfkc / in lower (the last cell is the length). */
  nfkcStart: Uint32Array;
  lowerStart: Uint32Array;
  /** Per entry + 1: its first field. */
  entryStart: Uint32Array;
  /** Per field: index into FIELD_NAMES. */
  names: Uint8Array;
  /** Per field: its variants as a bit mask (a double: an entry may have more than 32 variants). */
  masks: Float64Array;
  /** Per field, 1 where folding kept the original's offsets (no map to highlight). */
  sameNfkc: Uint8Array;
  sameLower: Uint8Array;
}

/** Columns for `entries` entries with `fields` fields in all, zeroed. */
function rawColumns(entries: number, fields: number): RawSearchIndex {
  return {
    codes: [],
    nfkc: '',
    lower: '',
    nfkcStart: new Uint32Array(fields + 1),
    lowerStart: new Uint32Array(fields + 1),
    entryStart: new Uint32Array(entries + 1),
    names: new Uint8Array(fields),
    masks: new Float64Array(fields),
    sameNfkc: new Uint8Array(fields),
    sameLower: new Uint8Array(fields),
  };
}

/**
 * One field's folds, with case (nf) and without (lo): the lower case of the NFKC text when that
 * keeps its length (normalizing once), else fold() with its offset map.
 */
function foldField(text: string): { nf: Folded; lo: Folded } {
  const nf = fold(text, true);
  const quick = nf.map ? undefined : nf.text.toLowerCase();
  return { nf, lo: quick !== undefined && quick.length === nf.text.length ? { text: quick } : fold(text) };
}

/** Bit mask of a field's variants. */
function maskOf(f: FieldText): number {
  let mask = 0;
  // A shift, not `**`: in code that runs once, uncompiled, each `**` makes a heap number.
  for (let v = 0; v < f.variants.length; v++) {
    const bit = f.variants[v]!;
    mask += bit < 30 ? 1 << bit : 2 ** bit;
  }
  return mask;
}

/** Fields buildRaw folds at once: a search's candidates (some hundred entries) or the bundled catalog. */
const MAX_BATCH_FIELDS = 20_000;

/**
 * The folded texts of the fields of some entries. Every field is folded in one call of normalize and
 * one of toLowerCase over all of them joined by NULs: a NUL neither composes nor decomposes, sits
 * between no combining marks and is no case context (final sigma looks past case-ignorable
 * characters only), so the joined text folds to the fields' folds joined by NULs. Done field by field,
 * a search of a large user catalog called the two, and built their strings, for ~600 fields.
 * A field whose fold changes its length needs the map of fold(), and is folded alone as before.
 */
export function buildRaw(entries: readonly CatalogEntry[], measure?: (text: string) => number): RawSearchIndex {
  // Two passes, so that every array is made at its size.
  // Loops count up an index: code that runs once per process is never optimized, and there each step
  // of a for-of allocates an iterator result (a search of a 50,000-code catalog indexes ~600 fields).
  const perEntry = new Array<readonly FieldText[]>(entries.length);
  let count = 0;
  for (let e = 0; e < entries.length; e++) count += (perEntry[e] = entryFields(entries[e]!)).length;
  // A regular expression searches every entry: there, three copies of all the text at once would
  // raise the peak memory of a 50,000-code catalog's search by a seventh; field by field it is.
  if (count > MAX_BATCH_FIELDS) return buildRawAlone(entries, measure);
  const raw = rawColumns(entries.length, count);
  const fields = new Array<FieldText>(count);
  // One more, empty, text: joined, the texts end with a separator too. (Joining and then appending one
  // made a rope that the first scan flattened: a second copy of every field's text.)
  const texts = new Array<string>(count + 1);
  texts[count] = '';
  for (let e = 0, i = 0; e < entries.length; e++) {
    raw.codes.push(entries[e]!.code);
    const own = perEntry[e]!;
    for (let k = 0; k < own.length; k++, i++) texts[i] = (fields[i] = own[k]!).text;
    raw.entryStart[e + 1] = i;
  }
  const joined = count ? texts.join(SEP) : '';
  const nfkcAll = isPlainAscii(joined) ? joined : joined.normalize('NFKC');
  const lowerAll = nfkcAll.toLowerCase();
  // Set once a field is folded alone: from then on the texts are assembled piece by piece.
  let nfkcParts: string[] | undefined;
  let lowerParts: string[] | undefined;
  let nPos = 0;
  let lPos = 0;
  for (let i = 0; i < count; i++) {
    const text = texts[i]!;
    const nEnd = nfkcAll.indexOf(SEP, nPos);
    const lEnd = lowerAll.indexOf(SEP, lPos);
    let nfkc: string | undefined;
    let lower: string | undefined;
    let sameNfkc = nEnd - nPos === text.length;
    let sameLower = sameNfkc && lEnd - lPos === text.length;
    if (!sameLower) {
      const { nf, lo } = foldField(text);
      nfkc = nf.text;
      lower = lo.text;
      sameNfkc = !nf.map;
      sameLower = !lo.map;
      nfkcParts ??= [nfkcAll.slice(0, nPos)];
      lowerParts ??= [lowerAll.slice(0, lPos)];
    }
    if (nfkcParts) nfkcParts.push(nfkc ?? nfkcAll.slice(nPos, nEnd), SEP);
    if (lowerParts) lowerParts.push(lower ?? lowerAll.slice(lPos, lEnd), SEP);
    raw.nfkcStart[i + 1] = raw.nfkcStart[i]! + (measure ? measure(nfkc ?? nfkcAll.slice(nPos, nEnd)) : (nfkc ?? text).length) + 1;
    raw.lowerStart[i + 1] = raw.lowerStart[i]! + (measure ? measure(lower ?? lowerAll.slice(lPos, lEnd)) : (lower ?? text).length) + 1;
    raw.names[i] = FIELD_NAMES.indexOf(fields[i]!.name);
    raw.masks[i] = maskOf(fields[i]!);
    raw.sameNfkc[i] = sameNfkc ? 1 : 0;
    raw.sameLower[i] = sameLower ? 1 : 0;
    nPos = nEnd + 1;
    lPos = lEnd + 1;
  }
  // A field that holds a NUL itself (nothing forbids one in a user catalog) made more pieces than
  // fields: they were not the fields' folds.
  if (nPos !== nfkcAll.length || lPos !== lowerAll.length) return buildRawAlone(entries, measure);
  raw.nfkc = nfkcParts ? nfkcParts.join('') : nfkcAll;
  raw.lower = lowerParts ? lowerParts.join('') : lowerAll;
  return raw;
}

/** buildRaw folding each field alone: for fields that hold a NUL, and the reference the tests compare buildRaw with. */
export function buildRawAlone(entries: readonly CatalogEntry[], measure: (text: string) => number = (t) => t.length): RawSearchIndex {
  const perEntry = entries.map((e) => entryFields(e));
  const raw = rawColumns(entries.length, perEntry.reduce((n, f) => n + f.length, 0));
  const nfkc: string[] = [];
  const lower: string[] = [];
  let i = 0;
  for (let e = 0; e < entries.length; e++) {
    raw.codes.push(entries[e]!.code);
    for (const f of perEntry[e]!) {
      const { nf, lo } = foldField(f.text);
      nfkc.push(nf.text, SEP);
      lower.push(lo.text, SEP);
      raw.nfkcStart[i + 1] = raw.nfkcStart[i]! + measure(nf.text) + 1;
      raw.lowerStart[i + 1] = raw.lowerStart[i]! + measure(lo.text) + 1;
      raw.names[i] = FIELD_NAMES.indexOf(f.name);
      raw.masks[i] = maskOf(f);
      raw.sameNfkc[i] = nf.map ? 0 : 1;
      raw.sameLower[i] = lo.map ? 0 : 1;
      i++;
    }
    raw.entryStart[e + 1] = i;
  }
  raw.nfkc = nfkc.join('');
  raw.lower = lower.join('');
  return raw;
}

/** The index as the build writes it (see SearchIndexData). */
export function buildSearchIndexData(catalog: Catalog): SearchIndexData {
  const raw = buildRaw(catalog.entries, (t) => Buffer.byteLength(t));
  // Searching bytes finds what searching the text finds only if the bytes are the text's: a lone
  // surrogate would be written as U+FFFD. (Catalog text is validated Unicode; this is the proof.)
  const nfkc = Buffer.from(raw.nfkc);
  const lower = Buffer.from(raw.lower);
  if (nfkc.toString() !== raw.nfkc || lower.toString() !== raw.lower) throw new Error('search index: catalog text is not well-formed Unicode');
  const width = b36([...raw.lowerStart, ...raw.nfkcStart, ...raw.masks, raw.codes.length].reduce((a, b) => Math.max(a, b), 0)).length;
  const cells = (values: ArrayLike<number>) => Array.from(values, (v) => b36(v).padStart(width, '0')).join('');
  const flags = (values: ArrayLike<number>) => Array.from(values, (v) => (v ? '1' : '0')).join('');
  const derived = lower.length === nfkc.length && raw.lowerStart.every((v, i) => v === raw.nfkcStart[i]) && flags(raw.sameLower) === flags(raw.sameNfkc);
  return {
    version: 4,
    codes: raw.codes.join('\n'),
    codesDigest: catalog.codesDigest,
    width,
    nfkc,
    lower,
    nfkcStart: cells(raw.nfkcStart),
    lowerStart: derived ? null : cells(raw.lowerStart),
    entryStart: cells(raw.entryStart),
    fieldName: raw.names.join(''),
    fieldVariants: cells(raw.masks),
    sameNfkc: flags(raw.sameNfkc),
    sameLower: derived ? null : flags(raw.sameLower),
  };
}

// dist/search-index.bin: a section file (see prebuilt.ts) whose header is SearchIndexData but for
// its two texts, which are its two sections.
const INDEX_MAGIC = 'ges-err search index 4\n';

/** The bytes of dist/search-index.bin. */
export function encodeSearchIndex(data: SearchIndexData): Buffer {
  const { nfkc, lower, ...header } = data;
  return writeSections(INDEX_MAGIC, header, [nfkc, lower]);
}

/** An index read back from its bytes (its texts are views of them), or undefined when they are not one. */
export function decodeSearchIndex(bytes: Uint8Array): SearchIndexData | undefined {
  const file = readSections(bytes, INDEX_MAGIC);
  if (file?.header.version !== 4 || file.sections.length !== 2) return undefined;
  const { sections: _, ...header } = file.header;
  return { ...(header as Omit<SearchIndexData, 'nfkc' | 'lower'>), nfkc: file.sections[0]!, lower: file.sections[1]! };
}

/** Where a literal pattern matched: field, then start and end in that field's folded text. */
type Emit = (field: number, start: number, end: number) => void;

/** What search reads from an index, whether the build wrote it or the run built it. */
interface SearchIndex {
  readonly fieldCount: number;
  /** One field's folded text (lower-cased unless caseSensitive). */
  fieldText(field: number, caseSensitive: boolean): string;
  /**
   * Every match of a literal pattern, field by field, in order; with -w, only whole words. Matches
   * do not overlap: after one, the search goes on from its end (as grep's -o).
   */
  findLiteral(m: LiteralMatcher, emit: Emit): void;
  entryStart(entry: number): number;
  /** The entry a field belongs to. */
  entryOf(field: number): number;
  variants(field: number): number;
  name(field: number): FieldName;
  same(field: number, caseSensitive: boolean): boolean;
}

/**
 * The search both indexes share: `indexOf(from)` finds the needle's next occurrence in the whole
 * text (fields end with a NUL, which no needle holds); `startOf(field)` is where a field starts in
 * the same units; `offset(field, at)` turns a position in the whole text into the field's text.
 */
function scanFields(ix: SearchIndex, m: LiteralMatcher, unitLength: number, indexOf: (from: number) => number, startOf: (field: number) => number, offset: (field: number, at: number) => number, emit: Emit): void {
  // Positions come in order, so each one's field is searched for after the previous one's: by
  // bisection, since stepping through thousands of fields to reach a few matches cost the prebuilt
  // index (whose starts are decoded one by one) more than the search.
  const n = ix.fieldCount;
  let field = 0;
  let next = n > 1 ? startOf(1) : Infinity;
  let text: string | undefined;
  for (let i = indexOf(0); i >= 0; ) {
    if (i >= next) {
      field = lastAtOrBefore(startOf, i, field + 1, n - 1);
      next = field + 1 < n ? startOf(field + 1) : Infinity;
      text = undefined;
    }
    const s = offset(field, i);
    const e = s + m.needle.length;
    if (!m.whole || isWholeWord((text ??= ix.fieldText(field, m.caseSensitive)), s, e)) {
      emit(field, s, e);
      i = indexOf(i + unitLength);
    } else i = indexOf(i + 1);
  }
}

/** The written index, read in place: no array or object per field, no text decoded but a hit's field. */
class PackedIndex implements SearchIndex {
  constructor(readonly data: SearchIndexData) {}
  #cell(s: string, i: number): number {
    const w = this.data.width;
    return parseInt(s.slice(i * w, i * w + w), 36);
  }
  #bytes(caseSensitive: boolean): Buffer {
    const b = caseSensitive ? this.data.nfkc : this.data.lower;
    return b instanceof Buffer ? b : Buffer.from(b.buffer, b.byteOffset, b.length);
  }
  #start(field: number, caseSensitive: boolean): number {
    return this.#cell(caseSensitive ? this.data.nfkcStart : (this.data.lowerStart ?? this.data.nfkcStart), field);
  }
  get fieldCount(): number {
    return this.data.fieldName.length;
  }
  fieldText(field: number, caseSensitive: boolean): string {
    return utf8(this.#bytes(caseSensitive), this.#start(field, caseSensitive), this.#start(field + 1, caseSensitive) - 1);
  }
  findLiteral(m: LiteralMatcher, emit: Emit): void {
    const bytes = this.#bytes(m.caseSensitive);
    const needle = Buffer.from(m.needle);
    const startOf = (f: number) => this.#start(f, m.caseSensitive);
    // A needle begins with a character's first byte, never a continuation byte: it matches the bytes
    // only where it matches the text. Offsets in the field are counted by decoding the bytes before.
    const offset = (f: number, at: number) => {
      const start = startOf(f);
      return at === start ? 0 : utf8(bytes, start, at).length;
    };
    scanFields(this, m, needle.length, (from) => bytes.indexOf(needle, from), startOf, offset, emit);
  }
  entryStart(entry: number): number {
    return this.#cell(this.data.entryStart, entry);
  }
  /** Found by bisection of the entries' starts, and remembered: a search asks about few fields of thousands. */
  #owner = new Map<number, number>();
  entryOf(field: number): number {
    let e = this.#owner.get(field);
    if (e === undefined) this.#owner.set(field, (e = lastAtOrBefore((i) => this.entryStart(i), field, 0, this.data.entryStart.length / this.data.width - 2)));
    return e;
  }
  variants(field: number): number {
    return this.#cell(this.data.fieldVariants, field);
  }
  name(field: number): FieldName {
    return FIELD_NAMES[this.data.fieldName.charCodeAt(field) - 48]!;
  }
  same(field: number, caseSensitive: boolean): boolean {
    return (caseSensitive ? this.data.sameNfkc : (this.data.sameLower ?? this.data.sameNfkc))[field] === '1';
  }
}

/** The index built by this run (user catalogs): the arrays as they are. */
class RawIndex implements SearchIndex {
  constructor(private readonly raw: RawSearchIndex) {}
  get fieldCount(): number {
    return this.raw.names.length;
  }
  #start(field: number, caseSensitive: boolean): number {
    return (caseSensitive ? this.raw.nfkcStart : this.raw.lowerStart)[field]!;
  }
  fieldText(field: number, caseSensitive: boolean): string {
    return (caseSensitive ? this.raw.nfkc : this.raw.lower).slice(this.#start(field, caseSensitive), this.#start(field + 1, caseSensitive) - 1);
  }
  findLiteral(m: LiteralMatcher, emit: Emit): void {
    const text = m.caseSensitive ? this.raw.nfkc : this.raw.lower;
    const startOf = (f: number) => this.#start(f, m.caseSensitive);
    scanFields(this, m, m.needle.length, (from) => text.indexOf(m.needle, from), startOf, (f, at) => at - startOf(f), emit);
  }
  entryStart(entry: number): number {
    return this.raw.entryStart[entry]!;
  }
  /**
   * A column made in one pass over the entries when first asked: a search of a large user catalog
   * asks for every match, and bisecting through closures there cost more than the search.
   */
  #owner: Uint32Array | undefined;
  entryOf(field: number): number {
    if (!this.#owner) {
      const starts = this.raw.entryStart;
      const owner = new Uint32Array(this.raw.names.length);
      for (let e = 0; e + 1 < starts.length; e++) owner.fill(e, starts[e]!, starts[e + 1]!);
      this.#owner = owner;
    }
    return this.#owner[field]!;
  }
  variants(field: number): number {
    return this.raw.masks[field]!;
  }
  name(field: number): FieldName {
    return FIELD_NAMES[this.raw.names[field]!]!;
  }
  same(field: number, caseSensitive: boolean): boolean {
    return (caseSensitive ? this.raw.sameNfkc : this.raw.sameLower)[field] === 1;
  }
}

function sameCatalog(data: SearchIndexData, catalog: Catalog): boolean {
  // The digest comes from the packs' headers: checking it reads no code list and parses no entry.
  return data?.version === 4 && typeof data.codes === 'string' && data.lower instanceof Uint8Array && data.codesDigest === catalog.codesDigest;
}

/** The entries a search looks at, and the index over exactly those entries, in catalog order. */
interface Scope {
  ix: SearchIndex;
  count: number;
  head(i: number): EntryHead;
  entry(i: number): CatalogEntry;
}

const built = new WeakMap<readonly CatalogEntry[], SearchIndex>();

function entryScope(entries: readonly CatalogEntry[]): Scope {
  let ix = built.get(entries);
  if (!ix) built.set(entries, (ix = new RawIndex(buildRaw(entries))));
  return { ix, count: entries.length, head: (i) => entries[i]!, entry: (i) => entries[i]! };
}

/**
 * What to search: the bundled catalog through the build's index, where entries are parsed only for
 * hits; else, for literal patterns, only the entries the catalog's prefilter says may contain every
 * pattern (a 50,000-code user catalog has a few hundred); else every entry.
 */
function scopeFor(catalog: Catalog, q: SearchQuery, prebuilt: SearchIndexData | undefined): Scope {
  if (prebuilt && sameCatalog(prebuilt, catalog)) {
    // Heads are read only if a filter asks (parsing them costs a search without one ~1 ms); a hit's
    // entry is found by its code, which reads no code list.
    const codes = prebuilt.codes === '' ? [] : prebuilt.codes.split('\n');
    return { ix: new PackedIndex(prebuilt), count: codes.length, head: (i) => catalog.heads[i]!, entry: (i) => catalog.entryFor(codes[i]!)! };
  }
  const candidates = q.regexp ? undefined : catalog.candidates(q.patterns);
  return entryScope(candidates ?? catalog.entries);
}

/** Matches of one pattern: per field, ranges in that field's folded text. */
type Found = Map<number, Range[]>;

function findAll(ix: SearchIndex, m: Matcher, fieldOk: (field: number) => boolean): Found {
  const found: Found = new Map();
  const add = (field: number, r: Range) => {
    const list = found.get(field);
    if (list) list.push(r);
    else found.set(field, [r]);
  };
  if (m.needle !== undefined) {
    ix.findLiteral(m, (field, s, e) => {
      if (fieldOk(field)) add(field, [s, e]);
    });
    return found;
  }
  for (let field = 0; field < ix.fieldCount; field++) {
    if (!fieldOk(field)) continue;
    for (const r of m.find(ix.fieldText(field, m.caseSensitive))) add(field, r);
  }
  return found;
}

function mergeRanges(ranges: Range[]): Range[] {
  // Most fields of a hit hold one match: no filter, sort and copies for those.
  if (ranges.length === 1) return ranges[0]![1] > ranges[0]![0] ? [[ranges[0]![0], ranges[0]![1]]] : [];
  const sorted = ranges.filter((r) => r[1] > r[0]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
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
  const statusOk = q.status ? statusFilter(q.status) : undefined;
  const scope = scopeFor(catalog, q, opts.index);
  const ix = scope.ix;
  // Entries the filters keep, and (with --status) the variants whose fields may match, as bit masks;
  // worked out for an entry when one of its fields first matches.
  const allowedMasks = new Map<number, number>();
  const allowed = (e: number): number => {
    let a = allowedMasks.get(e);
    if (a === undefined) {
      if (!filters.length && !statusOk) return -1;
      const head = scope.head(e);
      if (!filters.every((f) => f(head))) a = 0;
      else if (!statusOk) a = -1;
      else a = head.variants.reduce((m, v, i) => (statusOk({ ...head, variants: [v] }) ? m + 2 ** i : m), 0);
      allowedMasks.set(e, a);
    }
    return a;
  };
  const fieldOk = (f: number) => {
    if (!filters.length && !statusOk) return true;
    const a = allowed(ix.entryOf(f));
    return a === -1 || (a !== 0 && (ix.variants(f) & a) !== 0);
  };
  const perPattern = matchers.map((m) => ({ m, found: findAll(ix, m, fieldOk) }));
  // Every pattern must match in some field of the entry.
  let entries: Set<number> | undefined;
  for (const { found } of perPattern) {
    const mine = new Set<number>();
    for (const f of found.keys()) mine.add(ix.entryOf(f));
    entries = entries ? new Set([...entries].filter((e) => mine.has(e))) : mine;
  }
  // The fields any pattern matched, in order: each pattern finds them in order, and an entry's
  // fields are consecutive, so the hits come out grouped and in catalog order. Only these fields
  // are visited (an entry has a few dozen; a hit matches in a few).
  let fields: number[];
  if (perPattern.length === 1) fields = [...perPattern[0]!.found.keys()];
  else {
    const union = new Set<number>();
    for (let p = 0; p < perPattern.length; p++) for (const f of perPattern[p]!.found.keys()) union.add(f);
    fields = [...union].sort((a, b) => a - b);
  }
  const hits: SearchHit[] = [];
  let rows: RowFound[] = [];
  let current = -1;
  let first = 0;
  // Index loops: see buildRaw.
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const e = ix.entryOf(f);
    if (!entries!.has(e)) continue;
    if (e !== current) {
      if (current >= 0) hits.push(new Hit(scope.entry(current), rows, allowed(current)));
      current = e;
      rows = [];
      first = ix.entryStart(e);
    }
    // With one pattern (most searches), the field's list of matches as findAll made it: no copy.
    let lower: readonly Range[] = NO_RANGES;
    let nfkc: readonly Range[] = NO_RANGES;
    for (let p = 0; p < perPattern.length; p++) {
      const ranges = perPattern[p]!.found.get(f);
      if (!ranges) continue;
      if (perPattern[p]!.m.caseSensitive) nfkc = nfkc === NO_RANGES ? ranges : nfkc.concat(ranges);
      else lower = lower === NO_RANGES ? ranges : lower.concat(ranges);
    }
    rows.push({ index: f - first, name: ix.name(f), variants: ix.variants(f), sameLower: ix.same(f, false), sameNfkc: ix.same(f, true), lower, nfkc });
  }
  if (current >= 0) hits.push(new Hit(scope.entry(current), rows, allowed(current)));
  return hits;
}

/**
 * The last i in [lo, hi] with at(i) <= value, for `at` non-decreasing and at(lo) <= value (lo when
 * none after it qualifies).
 */
function lastAtOrBefore(at: (i: number) => number, value: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at(mid) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The matches in one field of a hit, in folded offsets; turned into FieldMatch only when asked. */
interface RowFound {
  /** Position among entryFields(entry). */
  index: number;
  name: FieldName;
  variants: number;
  sameLower: boolean;
  sameNfkc: boolean;
  lower: readonly Range[];
  nfkc: readonly Range[];
}

const NO_RANGES: readonly Range[] = [];

function toFieldMatch(field: FieldText, f: RowFound): FieldMatch {
  // Most matched fields hold one match, in a fold that kept the text's offsets: that range as it is.
  if (f.lower.length + f.nfkc.length === 1 && (f.lower.length ? f.sameLower : f.sameNfkc)) {
    const r = f.lower.length ? f.lower[0]! : f.nfkc[0]!;
    return { field, ranges: r[1] > r[0] ? [r] : [] };
  }
  const ranges: Range[] = [];
  addOriginalRanges(ranges, field.text, f.lower, false, f.sameLower);
  addOriginalRanges(ranges, field.text, f.nfkc, true, f.sameNfkc);
  return { field, ranges: mergeRanges(ranges) };
}

/** Push `found` (ranges in the text folded with or without case) as ranges of the original `text`. */
function addOriginalRanges(ranges: Range[], text: string, found: readonly Range[], caseSensitive: boolean, same: boolean): void {
  const fd = same || !found.length ? undefined : fold(text, caseSensitive);
  for (let i = 0; i < found.length; i++) {
    const r = found[i]!;
    ranges.push(fd ? unfoldRange(fd, r[0], r[1], text.length) : [r[0], r[1]]);
  }
}

class Hit implements SearchHit {
  #matches: FieldMatch[] | undefined;
  #order: number[] | undefined;
  #names: FieldName[] | undefined;
  constructor(
    readonly entry: CatalogEntry,
    private readonly found: RowFound[],
    /** Variants allowed by --status, as a bit mask; -1 for all. */
    private readonly allowed: number,
  ) {}
  /** Computed when first read: the text output never needs it. */
  get matchedFields(): FieldName[] {
    return (this.#names ??= [...new Set(this.found.map((f) => f.name))]);
  }
  /** Computed when first read: -l, -c and -q never need the offsets or the original text. */
  get matches(): FieldMatch[] {
    if (!this.#matches) {
      const fields = entryFields(this.entry);
      this.#matches = this.found.map((f) => toFieldMatch(fields[f.index]!, f));
    }
    return this.#matches;
  }
  /** Allowed variants with the most matching fields first; otherwise the catalog's order. */
  get variantOrder(): number[] {
    // One variant (most codes): nothing to order.
    if (!this.#order && this.entry.variants.length === 1) this.#order = [0];
    if (!this.#order) {
      const bit = (v: number) => 2 ** v;
      const count = this.entry.variants.map((_, v) => this.found.filter((f) => (f.variants & bit(v)) !== 0 && f.variants !== (2 ** this.entry.variants.length - 1)).length + (this.allowed === -1 || (this.allowed & bit(v)) !== 0 ? 0.5 : 0));
      this.#order = this.entry.variants.map((_, v) => v).sort((a, b) => count[b]! - count[a]! || a - b);
    }
    return this.#order;
  }
}
