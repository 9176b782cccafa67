// Free-text matching: rank catalog entries against text a person half-remembers ("graph is not
// runing", "配额", "弹性IP"), in English or Chinese. Token-based scoring with field weights
// (message > description > remediation > status line > notes): English is cut into words (stop
// words dropped, light stemming, a few synonyms), Chinese into characters matched in the context of
// their neighbours (there are no spaces to find words by), and a query word the catalog does not
// contain is corrected to near vocabulary words found with fuse.js (loaded only then). A result
// must cover most of the query, so unrelated text gets no candidates at all.
//
// Why not fuse.js over whole fields: its Bitap scoring of a sentence against a sentence cannot tell
// "nothing matches" from "a weak match", and it has no notion of Chinese words. It is used here for
// what it does well: finding the vocabulary words nearest to a mistyped one.

import type { Catalog } from './catalog/load.js';
import type { CatalogEntry } from './catalog/types.js';
import { charClass, entryFields, FIELD_NAMES, statusFields, type FieldKind, type FieldName } from './fields.js';
import { utf8 } from './bytes.js';
import { hasAnyOf, hasDigit, isAscii, isDigits } from './chars.js';
import { readSections, writeSections } from './prebuilt.js';
import { editDistance } from './suggest.js';

// ---- analysis -----------------------------------------------------------------------------------

type TermKind = 'word' | 'num' | 'han1' | 'han2';

/**
 * How much one term of a kind weighs in a field's precision: a Chinese bigram is like a word, a
 * single character much less.
 */
const KIND_WEIGHT: Record<TermKind, number> = { word: 1, num: 0.7, han1: 0.3, han2: 1 };
/** How much a unit of the query weighs: a word, a number, a Chinese character (matched in context). */
const QUERY_KIND_WEIGHT: Record<TermKind, number> = { word: 1, num: 0.7, han1: 1, han2: 1 };
/** A Chinese character the catalog has, but not beside the same neighbour. */
const CHAR_ALONE_SIM = 0.5;

/** Field weights: a match in the message says most, one in a note least. */
export const FIELD_WEIGHT: Record<FieldKind, number> = { code: 1, message: 1, description: 0.9, remediation: 0.6, notes: 0.3, httpStatus: 0.5 };

const STOP_WORDS = new Set(
  (
    'a an the is are was were be been being am of to in on at by for with from as or and it its this that these those ' +
    'has have had do does did will would can could should shall may might must whether if then than so such into onto ' +
    'i my me we our us you your he she they them their what which who whom how when where why please there here about ' +
    'also just very too any some e g eg etc via per one following ' +
    // What people write around an error message: "I got ... when ...".
    'got get gets getting keep keeps kept say says said see saw seeing happen happens happened im ive'
  ).split(' '),
);

// Characters that carry no meaning on their own; as parts of bigrams they still count.
const HAN_STOP = new Set([...'的了是或者和与及等请吗呢吧啊把被也就都而']);

const IRREGULAR: Record<string, string> = { vertices: 'vertex', indices: 'index', indexes: 'index', children: 'child', bound: 'bind', sold: 'sell' };

/** A light English stemmer (plural, -ed, -ing, final e): enough for "running" = "run", "deleted" = "delete". */
export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  let w = word;
  // String tests, not regular expressions: stem() runs on every word of a query (see chars.ts).
  if (w.length <= 3 || hasDigit(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && hasAnyOf(w.slice(0, -suffix.length), 'aeiouy')) {
      w = w.slice(0, -suffix.length);
      // "running" -> "runn" -> "run"; "stopped" -> "stop"; but "fill" and "pass" keep their pair.
      const last = w[w.length - 1]!;
      if (w[w.length - 2] === last && !'aeiouylsz'.includes(last)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

interface Term {
  key: string;
  kind: TermKind;
}

// "doesn't", "doesnt" and "cannot" all carry a "not", which matters ("not running" vs "running").
// Each expression comes with texts one of which any match contains: most queries hold none, and
// are spared compiling it (~0.2 ms for the long one).
const CONTRACTIONS: [RegExp, string, string[]][] = [
  [/\bcannot\b/g, 'can not', ['cannot']],
  [/\bwon['\u2019]?t\b/g, 'will not', ['won']],
  [/\b(do|does|did|is|are|was|were|has|have|had|can|could|should|would)n['\u2019]?t\b/g, '$1 not', ["n't", 'n’t', 'nt']],
  [/['\u2019]s\b/g, '', ["'s", '’s']],
];

/**
 * True when no character beyond ASCII is a letter with case: each is a Chinese character or CJK or
 * general punctuation (弹性IP), so the ASCII classes find every camelCase boundary the Unicode ones
 * would. Other text (été, Ελλάδα) takes the Unicode classes.
 */
function casedOnlyInAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x7f || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x3000 && c <= 0x303f) || (c >= 0x2000 && c <= 0x206f)) continue;
    return false;
  }
  return true;
}

/**
 * Cut text into words (letters and digits, stop words dropped, stemmed) and runs of Chinese (or
 * other CJK) characters, in order.
 */
function scan(text: string, onWord: (t: Term) => void, onCjkRun: (chars: string[]) => void): void {
  // NFKC changes no ASCII character; its first call initializes ICU's normalizer (~50 µs).
  let s = isAscii(text) ? text : text.normalize('NFKC');
  // camelCase and PascalCase identifiers (graphSizeTypeIndex, GraphID) split into their words.
  // Text that lower-casing leaves as it is has no capital, so no such boundary (most queries, and
  // Chinese), and skips the expressions; the Unicode classes cost ~0.5 ms to compile, so ASCII text
  // takes the ASCII ones. (After NFKC every capital letter, \p{Lu}, has a lower case: checked over all
  // of Unicode for Node 20's tables; the script ℋ, which has none, NFKC makes H.)
  if (s.toLowerCase() !== s) {
    s = casedOnlyInAscii(s)
      ? s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').toLowerCase()
      : s.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2').toLowerCase();
  }
  for (const [re, to, within] of CONTRACTIONS) if (within.some((w) => s.includes(w))) s = s.replace(re, to);
  let run = '';
  let runClass: ReturnType<typeof charClass> = null;
  const flush = () => {
    if (!run) return;
    if (runClass === 'w') {
      for (const part of run.split('_')) {
        if (!part || STOP_WORDS.has(part)) continue;
        onWord(isDigits(part) ? { key: part, kind: 'num' } : { key: stem(part), kind: 'word' });
      }
    } else onCjkRun([...run]);
    run = '';
  };
  for (const ch of s) {
    const cls = charClass(ch.codePointAt(0));
    if (cls !== runClass || cls === null) flush();
    runClass = cls;
    if (cls !== null) run += ch;
  }
  flush();
}

/**
 * The terms of catalog text: its words, and for Chinese every character (but the few that mean
 * nothing alone) and every pair of adjacent characters, since there are no spaces to find words by.
 */
export function analyze(text: string): Term[] {
  const out: Term[] = [];
  scan(
    text,
    (t) => out.push(t),
    (chars) =>
      chars.forEach((c, i) => {
        if (!HAN_STOP.has(c)) out.push({ key: c, kind: 'han1' });
        if (i > 0) out.push({ key: chars[i - 1]! + c, kind: 'han2' });
      }),
  );
  return out;
}

/** A unit of a query: a word, or one Chinese character with its neighbours (see queryTerms). */
type QueryUnit = Term | { key: string; kind: 'han1'; left?: string; right?: string };

/**
 * A query with the spaces between two Chinese characters taken out. People type "图 不存在" as words,
 * where the catalog writes "图不存在"; a character is matched in the context of its neighbours (see
 * queryTerms), and a space would leave "图" with none. A pair that occurs nowhere costs nothing.
 */
function joinChineseWords(text: string): string {
  if (isAscii(text)) return text;
  let out = '';
  let spaces = ''; // whitespace after a Chinese character, kept unless another one follows
  let afterHan = false;
  for (const ch of text) {
    if (ch.trim() === '') {
      if (afterHan) spaces += ch;
      else out += ch;
      continue;
    }
    const han = charClass(ch.codePointAt(0)) === 'han';
    if (!han) out += spaces;
    spaces = '';
    out += ch;
    afterHan = han;
  }
  return out + spaces;
}

function queryUnits(text: string): QueryUnit[] {
  const out: QueryUnit[] = [];
  scan(
    joinChineseWords(text),
    (t) => out.push(t),
    (chars) =>
      chars.forEach((c, i) => {
        if (HAN_STOP.has(c)) return;
        out.push({ key: c, kind: 'han1', ...(i > 0 && { left: chars[i - 1]! + c }), ...(i + 1 < chars.length && { right: c + chars[i + 1]! }) });
      }),
  );
  return out;
}

// ---- index --------------------------------------------------------------------------------------

const FIELD_WEIGHT_BY_NAME = FIELD_NAMES.map((n) => FIELD_WEIGHT[n.split('.')[0] as FieldKind]);
const KIND_CODES: Record<TermKind, string> = { word: 'w', num: 'n', han1: '1', han2: '2' };
const CODE_KINDS: Record<string, TermKind> = { w: 'word', n: 'num', '1': 'han1', '2': 'han2' };
// Bytes of the lexicon's syntax.
const NEWLINE = 0x0a;
const TAB = 0x09;
const WORD_KIND = 0x77; // "w"

/**
 * The free-text index as data: an inverted index (term -> fields) with the weights scoring needs.
 * The build writes it for the bundled catalog (analysing every field takes longer than all the rest
 * of a run; dist/freetext-index.bin, see encodeFreeTextIndex); with user catalogs it is built at run
 * time. Every part is one string, or the lexicon's bytes, that a run reads in place (indexOf,
 * fixed-width cells): loading it makes no array and no string per term, which in a process that
 * lives for one query costs more than the query itself.
 */
export interface FreeTextIndexData {
  version: 5;
  /** Codes of the entries indexed, in catalog order, one per line: the index only serves that catalog. */
  codes: string;
  /** The catalog's codesDigest: an index is used only for a catalog with the same (no code list is read to check). */
  codesDigest: string;
  /**
   * UTF-8: one line per term, sorted by term (UTF-16 code units), each line starting with "\n":
   * term TAB kind (w word, n number, 1 Chinese character, 2 Chinese pair) TAB idf × 1000 (base 36)
   * TAB the fields that contain it, ascending, as comma-separated base-36 gaps. Ends with "\n".
   * Bytes, searched as bytes: decoding its Chinese terms would cost a query more than the lookups.
   */
  lexicon: Uint8Array;
  /** Width of every cell of entryVariants, fieldEntry, fieldVariant and fieldMass (base-36 digits). */
  width: number;
  /** Per entry: how many variants it has (scoring needs no entry parsed but the ones it returns). */
  entryVariants: string;
  /** Per field: the entry it belongs to (index into codes). */
  fieldEntry: string;
  /** Per field, one digit: index into FIELD_NAMES (ten of them). */
  fieldName: string;
  /** Per field: its variant + 1 (0 when every variant shares it). */
  fieldVariant: string;
  /** Per field: the summed weight of its distinct terms × 1000 (for precision). */
  fieldMass: string;
}

const b36 = (n: number) => Math.round(n).toString(36);

export function buildFreeTextIndexData(catalog: Catalog): FreeTextIndexData {
  const termId = new Map<string, number>();
  const terms: string[] = [];
  const kinds: string[] = [];
  const df: number[] = [];
  const postings: number[][] = [];
  const fieldEntry: number[] = [];
  const fieldName: number[] = [];
  const fieldVariant: number[] = [];
  const fieldTerms: number[][] = [];
  catalog.entries.forEach((entry, e) => {
    const inEntry = new Set<number>();
    for (const f of [...entryFields(entry), ...statusFields(entry)]) {
      const ids = new Set<number>();
      for (const t of analyze(f.text)) {
        let id = termId.get(t.key);
        if (id === undefined) {
          termId.set(t.key, (id = terms.length));
          terms.push(t.key);
          kinds.push(KIND_CODES[t.kind]);
          df.push(0);
          postings.push([]);
        }
        ids.add(id);
      }
      if (!ids.size) continue;
      const field = fieldEntry.length;
      fieldEntry.push(e);
      fieldName.push(FIELD_NAMES.indexOf(f.name));
      fieldVariant.push(f.variant);
      fieldTerms.push([...ids]);
      for (const id of ids) {
        postings[id]!.push(field);
        inEntry.add(id);
      }
    }
    for (const id of inEntry) df[id]!++;
  });
  const n = catalog.entries.length;
  // Rounded as stored, so that a run scores with exactly the weights the masses were summed from.
  const idf = df.map((d) => Math.round(1000 * Math.log(1 + (n - d + 0.5) / (d + 0.5))) / 1000);
  const fieldMass = fieldTerms.map((ids) => Math.round(1000 * ids.reduce((m, id) => m + idf[id]! * KIND_WEIGHT[CODE_KINDS[kinds[id]!]!], 0)));
  const order = terms.map((_, i) => i).sort((a, b) => (terms[a]! < terms[b]! ? -1 : 1));
  const gaps = (list: readonly number[]) => list.map((x, i) => b36(x - (i ? list[i - 1]! : 0))).join(',');
  const lines = order.map((i) => `\n${terms[i]}\t${kinds[i]}\t${b36(idf[i]! * 1000)}\t${gaps(postings[i]!)}`);
  const variants = catalog.entries.map((e) => e.variants.length);
  const width = b36([n, ...variants, ...fieldVariant.map((v) => v + 1), ...fieldMass].reduce((a, b) => Math.max(a, b), 0)).length;
  const cells = (values: readonly number[]) => values.map((v) => b36(v).padStart(width, '0')).join('');
  return {
    version: 5,
    codes: catalog.entries.map((e) => e.code).join('\n'),
    codesDigest: catalog.codesDigest,
    lexicon: Buffer.from(lines.join('') + '\n'),
    width,
    entryVariants: cells(variants),
    fieldEntry: cells(fieldEntry),
    fieldName: fieldName.join(''),
    fieldVariant: cells(fieldVariant.map((v) => v + 1)),
    fieldMass: cells(fieldMass),
  };
}

// dist/freetext-index.bin: a section file (see prebuilt.ts) whose header is FreeTextIndexData but
// for the lexicon, which is its one section.
const INDEX_MAGIC = 'ges-err free-text index 5\n';

/** The bytes of dist/freetext-index.bin. */
export function encodeFreeTextIndex(data: FreeTextIndexData): Buffer {
  const { lexicon, ...header } = data;
  return writeSections(INDEX_MAGIC, header, [lexicon]);
}

/** An index read back from its bytes (the lexicon is a view of them), or undefined when they are not one. */
export function decodeFreeTextIndex(bytes: Uint8Array): FreeTextIndexData | undefined {
  const file = readSections(bytes, INDEX_MAGIC);
  if (file?.header.version !== 5 || file.sections.length !== 1) return undefined;
  const { sections: _, ...header } = file.header;
  return { ...(header as Omit<FreeTextIndexData, 'lexicon'>), lexicon: file.sections[0]! };
}

/** A term of the index, decoded from its line. */
interface IndexTerm {
  key: string;
  kind: TermKind;
  idf: number;
  postings: number[];
}

/** The index as a run reads it: in place, decoding only the terms and fields it touches. */
class FreeTextIndex {
  readonly #data: FreeTextIndexData;
  readonly #terms = new Map<string, IndexTerm | null>();
  #words: string[] | undefined;
  /** Weight of a query term the catalog does not contain: as rare as a term can be. */
  readonly maxIdf: number;
  readonly fieldCount: number;

  #codes: string[] | undefined;
  readonly #lexicon: Buffer;

  constructor(data: FreeTextIndexData) {
    this.#data = data;
    const lex = data.lexicon;
    this.#lexicon = lex instanceof Buffer ? lex : Buffer.from(lex.buffer, lex.byteOffset, lex.length);
    this.fieldCount = data.fieldName.length;
    const entries = data.entryVariants.length / data.width;
    this.maxIdf = Math.log(1 + (entries + 0.5) / 0.5);
  }
  /** The code of entry e (the index's entries are the catalog's, in its order). */
  code(e: number): string {
    return (this.#codes ??= this.#data.codes.split('\n'))[e]!;
  }
  /** How many variants entry e has. */
  variantCount(e: number): number {
    return this.#cell(this.#data.entryVariants, e);
  }
  #decode(start: number): IndexTerm {
    const lex = this.#lexicon;
    const [key, kind, idf, gaps] = utf8(lex, start, lex.indexOf(NEWLINE, start)).split('\t') as [string, string, string, string];
    const postings: number[] = [];
    let at = 0;
    for (const gap of gaps.split(',')) postings.push((at += parseInt(gap, 36)));
    return { key, kind: CODE_KINDS[kind]!, idf: parseInt(idf, 36) / 1000, postings };
  }
  /** The term, or undefined when the catalog does not have it. */
  term(key: string): IndexTerm | undefined {
    let t = this.#terms.get(key);
    if (t === undefined) {
      // A needle of bytes: a string one would have Node look up its encoding (a first call).
      const at = this.#lexicon.indexOf(Buffer.from(`\n${key}\t`));
      this.#terms.set(key, (t = at < 0 ? null : this.#decode(at + 1)));
    }
    return t ?? undefined;
  }
  /** English words of the catalog that start with `prefix` (adjacent: the lexicon is sorted). */
  wordsStartingWith(prefix: string): string[] {
    const lex = this.#lexicon;
    const needle = Buffer.from(`\n${prefix}`); // bytes, as in term()
    const out: string[] = [];
    // Whether the line after the newline at `at` starts with the prefix (compared here: Buffer#compare
    // would be one more first call of Node's code).
    const prefixAt = (at: number) => {
      if (at + needle.length > lex.length) return false;
      for (let i = 1; i < needle.length; i++) if (lex[at + i] !== needle[i]) return false;
      return true;
    };
    for (let at = lex.indexOf(needle); at >= 0 && prefixAt(at); at = lex.indexOf(NEWLINE, at + 1)) {
      const tab = lex.indexOf(TAB, at);
      if (lex[tab + 1] === WORD_KIND) out.push(utf8(lex, at + 1, tab));
    }
    return out;
  }
  /** Every English word of the catalog (for typo correction only: it reads the whole lexicon). */
  words(): string[] {
    return (this.#words ??= [...utf8(this.#lexicon).matchAll(/\n([^\t\n]+)\tw\t/g)].map((m) => m[1]!));
  }
  #cell(s: string, field: number): number {
    const w = this.#data.width;
    return parseInt(s.slice(field * w, field * w + w), 36);
  }
  fieldEntry(field: number): number {
    return this.#cell(this.#data.fieldEntry, field);
  }
  fieldName(field: number): number {
    return this.#data.fieldName.charCodeAt(field) - 48;
  }
  fieldVariant(field: number): number {
    return this.#cell(this.#data.fieldVariant, field) - 1;
  }
  fieldMass(field: number): number {
    return this.#cell(this.#data.fieldMass, field) / 1000;
  }
}

const indexes = new WeakMap<Catalog, FreeTextIndex>();

/** True when `data` was built from exactly this catalog's entries. */
export function indexMatches(data: FreeTextIndexData, catalog: Catalog): boolean {
  // The digest comes from the packs' headers: checking it reads no code list and parses no entry.
  return data?.version === 5 && typeof data.codes === 'string' && data.lexicon instanceof Uint8Array && data.codesDigest === catalog.codesDigest;
}

function indexFor(catalog: Catalog, prebuilt?: FreeTextIndexData): FreeTextIndex {
  let ix = indexes.get(catalog);
  if (!ix) {
    const data = prebuilt && indexMatches(prebuilt, catalog) ? prebuilt : buildFreeTextIndexData(catalog);
    indexes.set(catalog, (ix = new FreeTextIndex(data)));
  }
  return ix;
}

/** Catalog words of one root with `w` (see sameRoot): they share at least its first four letters. */
function rootMates(ix: FreeTextIndex, w: string): string[] {
  return w.length < 4 ? [] : ix.wordsStartingWith(w.slice(0, 4)).filter((v) => v !== w && sameRoot(w, v));
}

// ---- query --------------------------------------------------------------------------------------

interface QueryTerm {
  text: string;
  kind: TermKind;
  /** Catalog terms it stands for, with how similar each is (1 = the same word). */
  alts: { term: IndexTerm; sim: number }[];
  weight: number;
}

/** Edits tolerated in a word of this length: none in short words, where one edit is another word. */
function maxEdits(len: number): number {
  return len < 4 ? 0 : len < 8 ? 1 : 2;
}

/**
 * Words of one root that the stemmer leaves apart: a word cut short ("auth", "config") or another
 * form of it ("creation" / "create", "verification" / "verify"). They share a long prefix that is
 * most of the shorter word.
 */
function sameRoot(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 4) return false;
  let p = 0;
  while (p < short.length && short[p] === long[p]) p++;
  return p === short.length || (p >= 5 && p >= 0.8 * short.length);
}

/** How sure a typo correction or a word of the same root is, against 1 for the word itself. */
const TYPO_SIM = [1, 0.8, 0.65];
const ROOT_SIM = 0.7;

/** Words error messages use for the same thing ("not found" / "does not exist"). */
const SYNONYMS = ['exist found missing', 'large big huge', 'delete remove', 'empty blank'];
const SYNONYM_SIM = 0.7;
let synonymGroups: string[][] | undefined;

function synonymsOf(stemmed: string): readonly string[] {
  synonymGroups ??= SYNONYMS.map((g) => g.split(' ').map(stem));
  return synonymGroups.find((g) => g.includes(stemmed))?.filter((w) => w !== stemmed) ?? [];
}

type FuseCtor = typeof import('fuse.js').default;

/**
 * fuse.js, loaded here only: most runs never correct a word, and loading it costs start-up time.
 * Should it be missing (a copied bundle without node_modules), every word of similar shape is
 * checked by edit distance instead: slower to rank, same result.
 */
async function loadFuse(): Promise<FuseCtor | undefined> {
  try {
    return (await import('fuse.js')).default;
  } catch {
    return undefined;
  }
}

/**
 * Catalog words near each unknown word: typos found with fuse.js among the words of similar length
 * that share the first or the second letter (a typo rarely hits both), other forms of a root by prefix.
 * Called only with unknown words: it loads fuse.js.
 */
async function correct(ix: FreeTextIndex, unknown: readonly string[]): Promise<Map<string, { key: string; sim: number }[]>> {
  const out = new Map<string, { key: string; sim: number }[]>();
  const Fuse = await loadFuse();
  const words = ix.words();
  for (const w of unknown) {
    const pool = words.filter((v) => Math.abs(v.length - w.length) <= 2 && (v[0] === w[0] || v[1] === w[1]));
    const candidates = Fuse
      ? new Fuse(pool, { ignoreLocation: true, threshold: 0.45, isCaseSensitive: true, minMatchCharLength: 2 }).search(w, { limit: 12 }).map((r) => r.item)
      : pool;
    const alts: { key: string; sim: number }[] = [];
    for (const v of candidates) {
      const d = editDistance(w, v);
      let sim = 0;
      if (d <= maxEdits(Math.min(w.length, v.length))) sim = TYPO_SIM[d]!;
      else if (sameRoot(w, v)) sim = ROOT_SIM;
      if (sim > 0) alts.push({ key: v, sim });
    }
    // Fuse scores a long word against a short one as many errors; words of one root are found here.
    for (const v of rootMates(ix, w)) if (!alts.some((a) => a.key === v)) alts.push({ key: v, sim: ROOT_SIM });
    alts.sort((a, b) => b.sim - a.sim || (a.key < b.key ? -1 : 1));
    out.set(w, alts.slice(0, 3));
  }
  return out;
}

/**
 * The query as weighted terms, each with the catalog terms that stand for it. A word stands for
 * itself, other forms of its root, a synonym, or (unknown) its typo corrections. A Chinese character
 * is matched in context: fully where the catalog has it together with a neighbour ("配额" for 配),
 * half where it has the character alone. So "检查委托" needs no segmentation, and a pair that
 * occurs nowhere ("查委", where two words meet) costs nothing. A term the catalog lacks entirely
 * weighs as much as the rarest term: the query names something the catalog does not have.
 */
async function queryTerms(ix: FreeTextIndex, text: string): Promise<QueryTerm[]> {
  const known = (key: string) => ix.term(key) !== undefined;
  const seen = new Set<string>();
  const units = queryUnits(text).filter((t) => !seen.has(t.key) && seen.add(t.key));
  const unknown = units.filter((t) => t.kind === 'word' && !known(t.key) && t.key.length >= 4).map((t) => t.key);
  const corrections = unknown.length ? await correct(ix, unknown) : new Map<string, { key: string; sim: number }[]>();
  return units.map((t) => {
    let alts = corrections.get(t.key) ?? [];
    if (t.kind === 'han1') {
      alts = [];
      const u = t as { key: string; left?: string; right?: string };
      for (const pair of [u.left, u.right]) if (pair && known(pair)) alts.push({ key: pair, sim: 1 });
      if (known(t.key)) alts.push({ key: t.key, sim: CHAR_ALONE_SIM });
    } else if (known(t.key)) {
      alts = [{ key: t.key, sim: 1 }];
      // The stemmer is light: "creation" in the query also stands for "create" in the catalog.
      if (t.kind === 'word') for (const v of rootMates(ix, t.key)) alts.push({ key: v, sim: ROOT_SIM });
    }
    if (t.kind === 'word') for (const v of synonymsOf(t.key)) if (known(v) && !alts.some((a) => a.key === v)) alts.push({ key: v, sim: SYNONYM_SIM });
    const resolved = alts.map((a) => ({ term: ix.term(a.key)!, sim: a.sim }));
    const idf = resolved.length ? Math.max(...resolved.map((a) => a.term.idf)) : ix.maxIdf;
    return { text: t.key, kind: t.kind, alts: resolved, weight: idf * QUERY_KIND_WEIGHT[t.kind] };
  });
}

// ---- scoring ------------------------------------------------------------------------------------

export interface FreeTextMatch {
  code: string;
  /** The entry (parsed from its pack when first read). */
  entry: CatalogEntry;
  /** Variant indexes, best-matching first (for explainEntry). */
  variantOrder: number[];
  /** 0..1: how well the entry matches; comparable between entries of one query. */
  score: number;
  /** Share of the query (by term weight) found anywhere in the entry, 0..1. */
  coverage: number;
  matchedFields: FieldName[];
}

/** Below this coverage or score an entry is not a match at all, however it ranks. */
export const MIN_COVERAGE = 0.5;
export const MIN_SCORE = 0.3;
/** Results within this ratio of the best score are "close": all of them are shown. */
export const CLOSE_RATIO = 0.8;
export const MAX_RESULTS = 5;

/** Weight of a field's precision (how much of the field the query accounts for) in its score. */
const PRECISION_WEIGHT = 0.4;

interface VariantScore {
  score: number;
  coverage: number;
  matchedFields: FieldName[];
}

/** Per query term and field, how well the field matches the term (0..1): row f, column qi. */
interface Matches {
  m: Float64Array;
  q: number;
  /** Per field: the weight of the catalog terms it shares with the query (for precision). */
  hitMass: Float64Array;
}

/** Score one variant of an entry from the fields (of that variant or shared) that hold query terms. */
function scoreVariant(ix: FreeTextIndex, fields: readonly number[], mt: Matches, q: readonly QueryTerm[], total: number): VariantScore {
  const { m, q: Q, hitMass } = mt;
  let weighted = 0;
  let covered = 0;
  for (let qi = 0; qi < Q; qi++) {
    let best = 0;
    let bestWeighted = 0;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const v = m[f * Q + qi]!;
      if (v > best) best = v;
      const w = v * FIELD_WEIGHT_BY_NAME[ix.fieldName(f)]!;
      if (w > bestWeighted) bestWeighted = w;
    }
    covered += q[qi]!.weight * best;
    weighted += q[qi]!.weight * bestWeighted;
  }
  if (!covered) return { score: 0, coverage: 0, matchedFields: [] };
  let bestField = 0;
  let maxRecall = 0;
  const perField: { name: FieldName; recall: number; score: number }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    let recall = 0;
    for (let qi = 0; qi < Q; qi++) recall += q[qi]!.weight * m[f * Q + qi]!;
    recall /= total;
    // Precision: how much of the field the query accounts for, so that "The graph is not running."
    // ranks above "The graph is not running or is stopped." for "graph is not running".
    const mass = ix.fieldMass(f);
    const precision = mass ? Math.min(1, hitMass[f]! / mass) : 0;
    const score = FIELD_WEIGHT_BY_NAME[ix.fieldName(f)]! * recall * (1 - PRECISION_WEIGHT + PRECISION_WEIGHT * precision);
    if (score > bestField) bestField = score;
    if (recall > maxRecall) maxRecall = recall;
    perField.push({ name: FIELD_NAMES[ix.fieldName(f)]!, recall, score });
  }
  const matched = perField.filter((x) => x.recall > 0 && x.recall >= 0.5 * maxRecall).sort((a, b) => b.score - a.score);
  return { score: 0.5 * (weighted / total) + 0.5 * bestField, coverage: covered / total, matchedFields: [...new Set(matched.map((x) => x.name))] };
}

export interface RankOptions {
  /** The index the build wrote for the bundled catalog; ignored unless it was built from this catalog. */
  index?: FreeTextIndexData;
}

/**
 * Every entry that matches the text at all, best first. Entries below MIN_COVERAGE / MIN_SCORE are
 * left out: they match a word or two by chance, and showing them would be guessing.
 */
export async function rankFreeText(catalog: Catalog, text: string, opts: RankOptions = {}): Promise<FreeTextMatch[]> {
  return rank(indexFor(catalog, opts.index), text, (code) => catalog.entryFor(code)!);
}

/**
 * rankFreeText with the index the build wrote for the bundled catalog, for a run whose catalog is
 * that alone (no user catalog): the index is trusted as the pack and the pages it was written with
 * are (bin/ges-err.cjs prints pages unchecked), so ranking opens no catalog. `entryFor` is asked
 * only for the entries a caller reads.
 */
export async function rankWithShippedIndex(data: FreeTextIndexData, text: string, entryFor: (code: string) => CatalogEntry): Promise<FreeTextMatch[]> {
  return rank(new FreeTextIndex(data), text, entryFor);
}

async function rank(ix: FreeTextIndex, text: string, entryFor: (code: string) => CatalogEntry): Promise<FreeTextMatch[]> {
  const q = await queryTerms(ix, text);
  const total = q.reduce((n, t) => n + t.weight, 0);
  if (!total) return [];
  // Only the fields that hold a query term are looked at: the postings say which. The loops over
  // postings and fields count up an index: code that runs once per process is never optimized, and
  // there each step of a for-of allocates an iterator result (~40 bytes; thousands of steps here).
  const Q = q.length;
  const mt: Matches = { m: new Float64Array(ix.fieldCount * Q), q: Q, hitMass: new Float64Array(ix.fieldCount) };
  const byEntry = new Map<number, number[]>();
  const seen = new Uint8Array(ix.fieldCount);
  const counted = new Set<IndexTerm>();
  for (let qi = 0; qi < Q; qi++) {
    for (const a of q[qi]!.alts) {
      const mass = counted.has(a.term) ? 0 : a.term.idf * KIND_WEIGHT[a.term.kind];
      counted.add(a.term);
      const postings = a.term.postings;
      for (let i = 0; i < postings.length; i++) {
        const f = postings[i]!;
        const row = f * Q;
        if (!seen[f]) {
          seen[f] = 1;
          const e = ix.fieldEntry(f);
          const list = byEntry.get(e);
          if (list) list.push(f);
          else byEntry.set(e, [f]);
        }
        if (a.sim > mt.m[row + qi]!) mt.m[row + qi] = a.sim;
        mt.hitMass[f]! += mass;
      }
    }
  }
  const out: Ranked[] = [];
  // forEach, not for-of with [e, fields]: see the note above on loops.
  byEntry.forEach((fields, e) => {
    // What the whole entry could cover at best: most entries that share a common word stop here.
    let bound = 0;
    for (let qi = 0; qi < Q; qi++) {
      let best = 0;
      for (let i = 0; i < fields.length; i++) if (mt.m[fields[i]! * Q + qi]! > best) best = mt.m[fields[i]! * Q + qi]!;
      bound += q[qi]!.weight * best;
    }
    if (bound / total < MIN_COVERAGE) return;
    const scored = Array.from({ length: ix.variantCount(e) }, (_, v) => ({ v, ...scoreVariant(ix, fields.filter((f) => ix.fieldVariant(f) < 0 || ix.fieldVariant(f) === v), mt, q, total) }));
    scored.sort((a, b) => b.score - a.score || a.v - b.v);
    const best = scored[0]!;
    if (best.coverage < MIN_COVERAGE || best.score < MIN_SCORE) return;
    out.push(new Ranked(entryFor, ix.code(e), scored.map((x) => x.v), best));
  });
  return out.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
}

/** A match whose entry is parsed when first read: most runs show one or two of the matches ranked. */
class Ranked implements FreeTextMatch {
  #entry: CatalogEntry | undefined;
  readonly #entryFor: (code: string) => CatalogEntry;
  readonly score: number;
  readonly coverage: number;
  readonly matchedFields: FieldName[];
  constructor(
    entryFor: (code: string) => CatalogEntry,
    /** The entry's code, as the index has it. */
    readonly code: string,
    readonly variantOrder: number[],
    best: VariantScore,
  ) {
    this.#entryFor = entryFor;
    this.score = best.score;
    this.coverage = best.coverage;
    this.matchedFields = best.matchedFields;
  }
  get entry(): CatalogEntry {
    return (this.#entry ??= this.#entryFor(this.code));
  }
}

export interface Selection {
  /** The matches to show: the best one and every one close to it, at most MAX_RESULTS. */
  shown: FreeTextMatch[];
  /** How many matches are close to the best one (may exceed shown.length). */
  close: number;
}

/** What to show: never silently one of two close candidates, and never more than a few. */
export function selectMatches(ranked: readonly FreeTextMatch[]): Selection {
  if (!ranked.length) return { shown: [], close: 0 };
  const top = ranked[0]!.score;
  const close = ranked.filter((m) => m.score >= top * CLOSE_RATIO);
  return { shown: close.slice(0, MAX_RESULTS), close: close.length };
}

export async function matchFreeText(catalog: Catalog, text: string, opts: RankOptions = {}): Promise<Selection> {
  return selectMatches(await rankFreeText(catalog, text, opts));
}

/** matchFreeText with the build's index of the bundled catalog (see rankWithShippedIndex). */
export async function matchWithShippedIndex(data: FreeTextIndexData, text: string, entryFor: (code: string) => CatalogEntry): Promise<Selection> {
  return selectMatches(await rankWithShippedIndex(data, text, entryFor));
}
