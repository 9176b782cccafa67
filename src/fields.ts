// The searchable text of a catalog entry, field by field, and the folding (NFKC + case) that both
// grep-style search and free-text matching apply to it. Built on demand, never at import time.

import type { CatalogEntry, Lang, Note } from './catalog/types.js';

export type FieldKind = 'code' | 'message' | 'description' | 'remediation' | 'notes' | 'httpStatus';
/**
 * Field names as they appear in `matchedFields` (the keys the renderers use for sections).
 * httpStatus is the documented status with its standard reason phrase ("429 Too Many Requests"):
 * free text matches it, grep-style search does not.
 */
export type FieldName = 'code' | 'httpStatus' | `${Exclude<FieldKind, 'code' | 'httpStatus'>}.${Lang}`;

/** Field names in a fixed order, so that the prebuilt indexes can store a small number for each. */
export const FIELD_NAMES: readonly FieldName[] = [
  'code', 'message.en', 'message.zh', 'description.en', 'description.zh', 'remediation.en', 'remediation.zh', 'notes.en', 'notes.zh', 'httpStatus',
];

export function fieldKind(name: FieldName): FieldKind {
  return name.split('.')[0] as FieldKind;
}

export interface FieldText {
  name: FieldName;
  kind: FieldKind;
  lang: Lang | null;
  /** Index of the variant the text belongs to; -1 for text every variant shares (code, entry notes). */
  variant: number;
  /** Every variant whose text this is (a text several variants repeat is one field). */
  variants: number[];
  /** Original text; remediation steps and notes are one per line. */
  text: string;
}

function noteLines(notes: readonly Note[], lang: Lang): string {
  let out = '';
  for (let i = 0; i < notes.length; i++) {
    const t = notes[i]![lang]?.text;
    if (t) out = out ? `${out}\n${t}` : t;
  }
  return out;
}

/**
 * Every field of an entry, in every variant. Text that several variants repeat is kept once, so a
 * match is not counted six times for APIGW.0201's six variants; text that every variant has counts
 * as shared (variant -1). A description that only repeats its message is left out: the renderers
 * hide it too. Made once per entry and shared (search indexes an entry's fields, then shows a hit's:
 * making them twice was a fifth of what a search of a large user catalog allocates).
 */
export function entryFields(entry: CatalogEntry): readonly FieldText[] {
  let fields = fieldsOf.get(entry);
  if (!fields) fieldsOf.set(entry, (fields = makeFields(entry)));
  return fields;
}

const fieldsOf = new WeakMap<CatalogEntry, readonly FieldText[]>();

function makeFields(entry: CatalogEntry): readonly FieldText[] {
  const count = entry.variants.length;
  const all: number[] = new Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  const out: FieldText[] = [{ name: 'code', kind: 'code', lang: null, variant: -1, variants: all, text: entry.code }];
  // The standard reason phrase is free text's business (see statusFields); grep does not search it.
  // Loops count up an index, names are constants and no closure is made per text: a search of a
  // large user catalog makes the fields of a hundred entries in code that runs once, never
  // optimized, where each of those allocates (a Map per field name cost ~20 µs an entry).
  for (let i = 0; i < count; i++) {
    const v = entry.variants[i]!;
    addField(out, all, 'message.en', 'message', 'en', i, v.message.en?.text);
    addField(out, all, 'message.zh', 'message', 'zh', i, v.message.zh?.text);
    if (v.description.en?.text !== v.message.en?.text) addField(out, all, 'description.en', 'description', 'en', i, v.description.en?.text);
    if (v.description.zh?.text !== v.message.zh?.text) addField(out, all, 'description.zh', 'description', 'zh', i, v.description.zh?.text);
    addField(out, all, 'remediation.en', 'remediation', 'en', i, v.remediation.en?.steps.join('\n'));
    addField(out, all, 'remediation.zh', 'remediation', 'zh', i, v.remediation.zh?.steps.join('\n'));
    addField(out, all, 'notes.en', 'notes', 'en', i, noteLines(v.notes, 'en'));
    addField(out, all, 'notes.zh', 'notes', 'zh', i, noteLines(v.notes, 'zh'));
  }
  if (count > 1) for (let i = 0; i < out.length; i++) if (out[i]!.variants.length === count) out[i]!.variant = -1;
  addField(out, all, 'notes.en', 'notes', 'en', -1, noteLines(entry.notes, 'en'));
  addField(out, all, 'notes.zh', 'notes', 'zh', -1, noteLines(entry.notes, 'zh'));
  return out;
}

/**
 * Add a field to `out`, or a variant to the field that already has this name and text: a text is
 * looked for among the fields before it (an entry has a few dozen at most).
 */
function addField(out: FieldText[], all: number[], name: FieldName, kind: Exclude<FieldKind, 'code' | 'httpStatus'>, lang: Lang, variant: number, text: string | undefined): void {
  if (!text) return;
  for (let k = 0; k < out.length; k++) {
    const seen = out[k]!;
    if (seen.name === name && seen.text === text) {
      if (variant >= 0) seen.variants.push(variant);
      return;
    }
  }
  // With one variant, every field's list is `all` ([0]): nothing is ever added to it, since a text
  // seen again there is either the same field or an entry-wide note (variant -1).
  out.push({ name, kind, lang, variant, variants: variant < 0 || all.length === 1 ? all : [variant], text });
}

// Standard reason phrases (RFC 9110, and nginx's 494) of the statuses GES and API Gateway return.
const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 409: 'Conflict', 413: 'Request Entity Too Large', 414: 'URI Too Long', 429: 'Too Many Requests',
  494: 'Request Header Too Large', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The standard reason phrase of an HTTP status GES or API Gateway returns ("Not Found"), or undefined. */
export function reasonPhrase(status: number): string | undefined {
  return REASONS[status];
}

/**
 * Each variant's HTTP status with its reason phrase, as a field: people often have only the status
 * line ("429 Too Many Requests") or describe the error that way.
 */
export function statusFields(entry: CatalogEntry): FieldText[] {
  const texts = entry.variants.map((v) => (v.httpStatus === null ? '' : `${v.httpStatus} ${REASONS[v.httpStatus] ?? ''}`.trim()));
  const shared = texts.every((t) => t === texts[0]);
  return texts.flatMap((text, i): FieldText[] =>
    text && (!shared || i === 0) ? [{ name: 'httpStatus', kind: 'httpStatus', lang: null, variant: shared ? -1 : i, variants: shared ? texts.map((_, j) => j) : [i], text }] : [],
  );
}

/** Text folded for matching, with a way back to offsets in the original (for highlighting). */
export interface Folded {
  text: string;
  /** Offset in the original for each offset of `text` (length text.length + 1); undefined when they are the same. */
  map?: Int32Array;
}

/**
 * NFKC (full-width letters, digits and punctuation become ASCII; the ideographic space a space) and,
 * unless case matters, lower case. Most text keeps its length under both, and then offsets are
 * shared; otherwise the text is folded one code point at a time to keep a map of offsets.
 */
export function fold(text: string, caseSensitive = false): Folded {
  let s = isPlainAscii(text) ? text : text.normalize('NFKC');
  if (s.length === text.length) {
    if (caseSensitive) return { text: s };
    const lower = s.toLowerCase();
    if (lower.length === s.length) return { text: lower };
  }
  const parts: string[] = [];
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    let f = ch.normalize('NFKC');
    if (!caseSensitive) f = f.toLowerCase();
    parts.push(f);
    for (let k = 0; k < f.length; k++) map.push(i);
    i += ch.length;
  }
  map.push(text.length);
  s = parts.join('');
  return { text: s, map: Int32Array.from(map) };
}

/** Map a [start, end) range of folded text back to the original. */
export function unfoldRange(f: Folded, start: number, end: number, originalLength: number): [number, number] {
  if (!f.map) return [start, end];
  const s = f.map[start] ?? originalLength;
  // The end maps to the start of the first original character not covered by the match.
  let e = end >= f.map.length - 1 ? originalLength : f.map[end]!;
  if (e <= s) e = Math.min(originalLength, s + 1);
  return [s, e];
}

// A regular expression, not a loop: it runs natively, and most of a run's code runs only once.
const NOT_PLAIN_ASCII = /[^\x00-\x7e]/;
/** ASCII without DEL: NFKC and case folding need no Unicode data for it. */
export function isPlainAscii(s: string): boolean {
  return !NOT_PLAIN_ASCII.test(s);
}

/**
 * What kind of word character a code point is: 'w' for letters, digits and underscore of alphabetic
 * scripts, 'han' for Chinese characters, 'kana' and 'hangul' for the other CJK scripts, null for
 * everything else (spaces, punctuation, symbols). A change of class is a word boundary: Chinese has
 * no spaces, so "弹性IP绑定" has the words 弹性, IP and 绑定.
 */
export type CharClass = 'w' | 'han' | 'kana' | 'hangul' | null;

// Unicode property classes are slow to create and to first run (~0.5 ms for these four together):
// made on first use, which only text outside the common blocks below needs.
let scripts: { han: RegExp; kana: RegExp; hangul: RegExp; word: RegExp } | undefined;
const unicodeClasses = () =>
  (scripts ??= {
    han: /\p{Script=Han}/u,
    kana: /[\p{Script=Hiragana}\p{Script=Katakana}]/u,
    hangul: /\p{Script=Hangul}/u,
    word: /[\p{L}\p{N}\p{M}_]/u,
  });

export function charClass(cp: number | undefined): CharClass {
  if (cp === undefined) return null;
  if (cp < 0x80) {
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f ? 'w' : null;
  }
  // The common blocks first: CJK Unified Ideographs, and the CJK and full-width punctuation.
  if (cp >= 0x4e00 && cp <= 0x9fff) return 'han';
  if ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20)) return null;
  const ch = String.fromCodePoint(cp);
  const u = unicodeClasses();
  if (u.han.test(ch)) return 'han';
  if (u.kana.test(ch)) return 'kana';
  if (u.hangul.test(ch)) return 'hangul';
  return u.word.test(ch) ? 'w' : null;
}

/** The code point that ends just before `index` (handles surrogate pairs). */
export function codePointBefore(s: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const lo = s.charCodeAt(index - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && index >= 2) {
    const hi = s.charCodeAt(index - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.codePointAt(index - 2);
  }
  return lo;
}

/** True when [start, end) of `s` is a whole word: no word character of the same class touches either end. */
export function isWholeWord(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  const first = charClass(s.codePointAt(start));
  const before = charClass(codePointBefore(s, start));
  if (before !== null && before === first) return false;
  const last = charClass(codePointBefore(s, end));
  const after = charClass(s.codePointAt(end));
  return !(after !== null && after === last);
}
