// Free-text matching: rank catalog entries against text a person half-remembers ("graph is not
// runing", "配额", "弹性IP"), in English or Chinese. Token-based scoring with field weights:
// English is split into words (stop words dropped, light stemming), Chinese into characters and
// bigrams, and a query word the catalog does not contain is corrected to near vocabulary words
// found with fuse.js (loaded only then). A result must cover most of the query, so unrelated text
// gets no candidates at all.
//
// Why not fuse.js over whole fields: its Bitap scoring of a sentence against a sentence cannot tell
// "nothing matches" from "a weak match", and it has no notion of Chinese words. It is used here for
// what it does well: finding the vocabulary words nearest to a mistyped one.

import type { Catalog } from './catalog/load.js';
import type { CatalogEntry } from './catalog/types.js';
import { charClass, entryFields, type FieldKind, type FieldName } from './fields.js';
import { editDistance } from './suggest.js';

// ---- analysis -----------------------------------------------------------------------------------

type TermKind = 'word' | 'num' | 'han1' | 'han2';

/** How much one matched term of a kind is worth: a Chinese bigram is a word, a single character much less. */
const KIND_WEIGHT: Record<TermKind, number> = { word: 1, num: 0.7, han1: 0.3, han2: 1 };

/** Field weights: a match in the message says most, one in a note least. */
export const FIELD_WEIGHT: Record<FieldKind, number> = { code: 1, message: 1, description: 0.9, remediation: 0.6, notes: 0.3 };

const STOP_WORDS = new Set(
  (
    'a an the is are was were be been being am of to in on at by for with from as or and it its this that these those ' +
    'has have had do does did will would can could should shall may might must whether if then than so such into onto ' +
    'i my me we our us you your he she they them their what which who whom how when where why please there here about ' +
    'also just very any some e g eg etc via per one following ' +
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
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      // "running" -> "runn" -> "run"; "stopped" -> "stop"; but "fill" and "pass" keep their pair.
      if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
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
const CONTRACTIONS: [RegExp, string][] = [
  [/\bcannot\b/g, 'can not'],
  [/\bwon['’]?t\b/g, 'will not'],
  [/\b(do|does|did|is|are|was|were|has|have|had|can|could|should|would)n['’]?t\b/g, '$1 not'],
  [/['’]s\b/g, ''],
];

/** Split text into terms. The same analysis runs on the catalog and on the query. */
export function analyze(text: string): Term[] {
  let s = text.normalize('NFKC');
  // camelCase and PascalCase identifiers (graphSizeTypeIndex, GraphID) split into their words.
  s = s.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
  s = s.toLowerCase();
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  const out: Term[] = [];
  let run = '';
  let runClass: ReturnType<typeof charClass> = null;
  const flush = () => {
    if (!run) return;
    if (runClass === 'w') {
      for (const part of run.split('_')) {
        if (!part || STOP_WORDS.has(part)) continue;
        out.push(/^\d+$/.test(part) ? { key: part, kind: 'num' } : { key: stem(part), kind: 'word' });
      }
    } else {
      const chars = [...run];
      chars.forEach((c, i) => {
        if (!HAN_STOP.has(c)) out.push({ key: c, kind: 'han1' });
        if (i > 0) out.push({ key: chars[i - 1]! + c, kind: 'han2' });
      });
    }
    run = '';
  };
  for (const ch of s) {
    const cls = charClass(ch.codePointAt(0));
    if (cls !== runClass || cls === null) flush();
    runClass = cls;
    if (cls !== null) run += ch;
  }
  flush();
  return out;
}

// ---- index --------------------------------------------------------------------------------------

interface IndexedField {
  name: FieldName;
  weight: number;
  variant: number;
  terms: Set<string>;
  /** Sum of the weights of the field's distinct terms (for precision). */
  mass: number;
}

interface IndexedEntry {
  entry: CatalogEntry;
  fields: IndexedField[];
}

interface FreeTextIndex {
  entries: IndexedEntry[];
  idf: Map<string, number>;
  kinds: Map<string, TermKind>;
  /** Distinct English words of the catalog, for typo correction. */
  words: string[];
  maxIdf: number;
}

const indexes = new WeakMap<Catalog, FreeTextIndex>();

function buildIndex(catalog: Catalog): FreeTextIndex {
  const df = new Map<string, number>();
  const kinds = new Map<string, TermKind>();
  const raw = catalog.entries.map((entry) => {
    const fields = entryFields(entry).map((f) => {
      const terms = analyze(f.text);
      for (const t of terms) kinds.set(t.key, t.kind);
      return { name: f.name, weight: FIELD_WEIGHT[f.kind], variant: f.variant, terms: new Set(terms.map((t) => t.key)) };
    });
    const seen = new Set<string>();
    for (const f of fields) for (const t of f.terms) seen.add(t);
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
    return { entry, fields };
  });
  const n = catalog.entries.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  const entries = raw.map(({ entry, fields }) => ({
    entry,
    fields: fields.map((f) => {
      let mass = 0;
      for (const t of f.terms) mass += idf.get(t)! * KIND_WEIGHT[kinds.get(t)!];
      return { ...f, mass };
    }),
  }));
  const words = [...kinds].filter(([, k]) => k === 'word').map(([t]) => t);
  return { entries, idf, kinds, words, maxIdf: Math.log(1 + (n + 0.5) / 0.5) };
}

function indexFor(catalog: Catalog): FreeTextIndex {
  let ix = indexes.get(catalog);
  if (!ix) indexes.set(catalog, (ix = buildIndex(catalog)));
  return ix;
}

// ---- query --------------------------------------------------------------------------------------

interface QueryTerm {
  text: string;
  kind: TermKind;
  /** Catalog terms it stands for, with how similar each is (1 = the same word). */
  alts: { key: string; sim: number }[];
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

type FuseCtor = typeof import('fuse.js').default;

async function correct(ix: FreeTextIndex, words: readonly string[]): Promise<Map<string, { key: string; sim: number }[]>> {
  const out = new Map<string, { key: string; sim: number }[]>();
  if (!words.length) return out;
  // Loaded here only: most runs of ges-err never need it, and it costs start-up time.
  const Fuse: FuseCtor = (await import('fuse.js')).default;
  const fuse = new Fuse(ix.words, { includeScore: true, ignoreLocation: true, threshold: 0.45, isCaseSensitive: true, minMatchCharLength: 2 });
  for (const w of words) {
    const alts: { key: string; sim: number }[] = [];
    for (const r of fuse.search(w, { limit: 12 })) {
      const v = r.item;
      const d = editDistance(w, v);
      let sim = 0;
      if (d <= maxEdits(Math.min(w.length, v.length))) sim = TYPO_SIM[d]!;
      else if (sameRoot(w, v)) sim = ROOT_SIM;
      if (sim > 0) alts.push({ key: v, sim });
    }
    // Fuse scores a long word against a short one as many errors; words of one root are found here.
    for (const v of ix.words) if (sameRoot(w, v) && !alts.some((a) => a.key === v)) alts.push({ key: v, sim: ROOT_SIM });
    alts.sort((a, b) => b.sim - a.sim || (a.key < b.key ? -1 : 1));
    out.set(w, alts.slice(0, 3));
  }
  return out;
}

async function queryTerms(ix: FreeTextIndex, text: string): Promise<QueryTerm[]> {
  const seen = new Set<string>();
  let terms = analyze(text).filter((t) => !seen.has(t.key) && seen.add(t.key));
  // Chinese has no spaces, so "检查委托" also yields "查委", which straddles two words and occurs
  // nowhere. A bigram the catalog lacks whose two characters both belong to bigrams it has is such a
  // junction: it says nothing, and counting it as unmatched would sink every two-word query.
  const known = new Set(terms.filter((t) => t.kind === 'han2' && ix.idf.has(t.key)).flatMap((t) => [...t.key]));
  terms = terms.filter((t) => t.kind !== 'han2' || ix.idf.has(t.key) || ![...t.key].every((c) => known.has(c)));
  const unknown = terms.filter((t) => t.kind === 'word' && !ix.idf.has(t.key) && t.key.length >= 4).map((t) => t.key);
  const corrections = await correct(ix, unknown);
  return terms.map((t) => {
    let alts = corrections.get(t.key) ?? [];
    if (ix.idf.has(t.key)) {
      alts = [{ key: t.key, sim: 1 }];
      // The stemmer is light: "creation" in the query also stands for "create" in the catalog.
      if (t.kind === 'word') for (const v of ix.words) if (v !== t.key && sameRoot(t.key, v)) alts.push({ key: v, sim: ROOT_SIM });
    }
    const idf = alts.length ? Math.max(...alts.map((a) => ix.idf.get(a.key)!)) : ix.maxIdf;
    return { text: t.key, kind: t.kind, alts, weight: idf * KIND_WEIGHT[t.kind] };
  });
}

// ---- scoring ------------------------------------------------------------------------------------

export interface FreeTextMatch {
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

function scoreVariant(ix: FreeTextIndex, fields: readonly IndexedField[], q: readonly QueryTerm[], total: number) {
  let weighted = 0;
  let covered = 0;
  const perField = fields.map(() => 0);
  for (const t of q) {
    let best = 0;
    let bestWeighted = 0;
    fields.forEach((f, i) => {
      let m = 0;
      for (const a of t.alts) if (a.sim > m && f.terms.has(a.key)) m = a.sim;
      if (!m) return;
      perField[i]! += t.weight * m;
      best = Math.max(best, m);
      bestWeighted = Math.max(bestWeighted, m * f.weight);
    });
    covered += t.weight * best;
    weighted += t.weight * bestWeighted;
  }
  let bestField = 0;
  const fieldScores = fields.map((f, i) => {
    const recall = perField[i]! / total;
    if (!recall) return { recall, score: 0 };
    let hit = 0;
    for (const key of f.terms) if (q.some((t) => t.alts.some((a) => a.key === key))) hit += ix.idf.get(key)! * KIND_WEIGHT[ix.kinds.get(key)!];
    const precision = f.mass ? hit / f.mass : 0;
    const score = f.weight * recall * (1 - PRECISION_WEIGHT + PRECISION_WEIGHT * precision);
    bestField = Math.max(bestField, score);
    return { recall, score };
  });
  const score = 0.5 * (weighted / total) + 0.5 * bestField;
  const maxRecall = Math.max(0, ...fieldScores.map((s) => s.recall));
  const matched = fields
    .map((f, i) => ({ name: f.name, ...fieldScores[i]! }))
    .filter((s) => s.recall > 0 && s.recall >= 0.5 * maxRecall)
    .sort((a, b) => b.score - a.score);
  return { score, coverage: covered / total, matchedFields: [...new Set(matched.map((m) => m.name))] };
}

/**
 * Every entry that matches the text at all, best first. Entries below MIN_COVERAGE / MIN_SCORE are
 * left out: they match a word or two by chance, and showing them would be guessing.
 */
export async function rankFreeText(catalog: Catalog, text: string): Promise<FreeTextMatch[]> {
  const ix = indexFor(catalog);
  const q = await queryTerms(ix, text);
  const total = q.reduce((n, t) => n + t.weight, 0);
  if (!total) return [];
  const out: FreeTextMatch[] = [];
  for (const { entry, fields } of ix.entries) {
    const scored = entry.variants.map((_, v) => ({ v, ...scoreVariant(ix, fields.filter((f) => f.variant < 0 || f.variant === v), q, total) }));
    scored.sort((a, b) => b.score - a.score || a.v - b.v);
    const best = scored[0]!;
    if (best.coverage < MIN_COVERAGE || best.score < MIN_SCORE) continue;
    out.push({ entry, variantOrder: scored.map((s) => s.v), score: best.score, coverage: best.coverage, matchedFields: best.matchedFields });
  }
  return out.sort((a, b) => b.score - a.score || (a.entry.code < b.entry.code ? -1 : 1));
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

export async function matchFreeText(catalog: Catalog, text: string): Promise<Selection> {
  return selectMatches(await rankFreeText(catalog, text));
}
