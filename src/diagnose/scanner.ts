// The streaming scanner: finds every error code in a byte stream of any size in bounded memory and
// groups them by code (count, first/last line, a bounded list of lines, one observed record).
//
// Speed comes from not looking at most of the input: each window of bytes becomes one latin1
// string (cheap, and string positions are byte positions), native indexOf finds the few places a
// code can be (a catalog prefix such as "GES.", or a code key such as "error_code"), and only
// there is the record around it read. No string is built per line. Each window keeps some history
// (to read an HTTP head or a multi-line body above a code) and holds back some lookahead (so a
// record that continues past the window is read whole), so chunk boundaries never matter.
//
// Past the first MiB of an input (a log), the literals are found, and newlines counted, by the
// finder (finder.wat, WebAssembly SIMD) in one pass over the bytes, and no piece string is made:
// the checks around a hit read the bytes. Where WebAssembly cannot run, the indexOf searches find
// the same.

import { FORWARD_BYTES, extractRecord, type ObservedRecord, type Window } from './extract.js';
import { createFinder, finderTakes, MAX_FINDER_NEEDLES, type Finder } from './finder.js';
import { isAlnum, isAlpha, isDigit } from './text.js';

/** How far before a code its record window starts: more than any look back of extractRecord (about 20 KiB). */
const RECORD_BACK = 24 * 1024;
/** Bytes kept before the scan position for looking back. */
const HISTORY = RECORD_BACK;
/** Bytes held back after it, so a record found before it is always complete. */
const LOOKAHEAD = FORWARD_BYTES + 1024;
/** The buffer input is copied into: scanned in pieces, then all but the history and lookahead is dropped. */
const RING = 512 * 1024;
const FIRST_RING = 4096;
/**
 * Bytes scanned at a time: through one latin1 string by the indexOf searches, by one call of the
 * finder past the first MiB. A piece's string, and a record window (the piece with RECORD_BACK
 * before and LOOKAHEAD after it), must stay below V8's large-object threshold (~128 KiB): larger
 * strings are many times slower to make and collect.
 */
const PIECE = 32 * 1024;
/** Context on both sides of a piece: enough to check a code's neighbours and read a key's value. */
const MARGIN = 128;
/** How far before a code value its key's "ode" may start. */
const KEY_REACH = 48;
/**
 * The start of an input in which the key search looks at every "ode" (code, errcode, err-code ...
 * in any notation): all of a pasted response or a command's output. Past it, in a log, it looks at
 * keys as JSON, Python and the SDKs write them (the anchors below): "ode" is common in text and
 * searching for it costs a third of the scan, these anchors about a tenth of that.
 */
const FULL_KEY_BYTES = 1 << 20;
/** Code-key anchors past FULL_KEY_BYTES, with the offset of their "ode": "code", 'code', error_code, errorCode / Error Code. */
const KEY_ANCHORS: readonly (readonly [string, number])[] = [
  ['"code', 2],
  ["'code", 2],
  ['_code', 2],
  ['Code', 1],
];
/** The start of the input searched for the "nothing found" hints (a KooCLI tag, a code-less HTTP error). */
const HINT_BYTES = 1 << 20;
const NON_SPACE = /\S/g;
/** Occurrences of one code whose record is read; after that, occurrences are only counted. */
const READS_PER_CODE = 8;
/** Line numbers kept per code. */
export const MAX_LINES_KEPT = 100;
/**
 * Distinct codes tracked; more are counted as overflow. Each costs a few KB (its record, line
 * numbers, its entry in the report): 5,000 keep a hostile input's peak RSS under 100 MB.
 */
const MAX_DISTINCT = 5_000;

/** The record read at one occurrence, and how many of its three fields were known. */
export interface Sample {
  observed: ObservedRecord;
  known: number;
}

export interface CodeStats {
  /** Canonical code: upper-case prefix, the number as written. */
  code: string;
  count: number;
  firstLine: number;
  lastLine: number;
  lines: number[];
  /** Records read at the first occurrences (at most READS_PER_CODE; reading stops at a complete one). */
  samples: Sample[];
  /** Absolute end of the last record read: the same code before it belongs to the same record. */
  recordEnd: number;
  /** No more records are read for this code: one was complete, or READS_PER_CODE were read. */
  sampled: boolean;
}

/**
 * Which record a code reports: the first one, unless one of the first READS_PER_CODE records tells
 * more (a bare mention first, the full response later).
 */
export function observedOf(samples: readonly Sample[]): ObservedRecord {
  let best: Sample | undefined;
  for (const x of samples.slice(0, READS_PER_CODE)) if (!best || x.known > best.known) best = x;
  return best ? best.observed : { httpStatus: null, requestId: null, message: null };
}

export interface ScanHints {
  /** A KooCLI class tag ([USE_ERROR] ...) and where it was first seen. */
  koocli: { tag: string; line: number } | null;
  /** An HTTP error status line with no code (an HTML error page, an empty body). */
  http: { status: number; line: number } | null;
  /** A NUL byte, which no text holds: the input is binary data (an archive, an image, a core dump). */
  binary: { line: number } | null;
}

/** What one scanner found in one input. Line numbers start at 1 there. */
export interface ScanPart {
  codes: CodeStats[];
  /** Newlines read. */
  newlines: number;
  bytes: number;
  /** The last byte read (-1 for none): a last line without '\n' still counts as a line. */
  lastByte: number;
  sawText: boolean;
  overflow: number;
  hints: ScanHints;
}

export interface ScanResult {
  /** Distinct codes in order of first appearance, with observed chosen. */
  codes: (CodeStats & { observed: ObservedRecord })[];
  lines: number;
  bytes: number;
  /** True when the input held nothing but whitespace. */
  empty: boolean;
  /** Occurrences not tracked because there were more than MAX_DISTINCT distinct codes. */
  overflow: number;
  hints: ScanHints;
}

/** Lines of a part: newlines, plus one for a last line without a newline. */
export function linesOf(p: ScanPart): number {
  return p.newlines + (p.bytes > 0 && p.lastByte !== 10 ? 1 : 0);
}

/** Join the parts of inputs read one after the other (each starts on a new line), shifting line numbers to the joined numbering. */
export function mergeParts(parts: readonly ScanPart[]): ScanResult {
  const codes = new Map<string, CodeStats>();
  const hints: ScanHints = { koocli: null, http: null, binary: null };
  let offset = 0;
  let bytes = 0;
  let overflow = 0;
  let sawText = false;
  for (const part of parts) {
    bytes += part.bytes;
    overflow += part.overflow;
    sawText ||= part.sawText;
    hints.koocli ??= part.hints.koocli && { ...part.hints.koocli, line: part.hints.koocli.line + offset };
    hints.http ??= part.hints.http && { ...part.hints.http, line: part.hints.http.line + offset };
    hints.binary ??= part.hints.binary && { line: part.hints.binary.line + offset };
    for (const c of part.codes) {
      const shifted = c.lines.map((l) => l + offset);
      const have = codes.get(c.code);
      if (!have) {
        if (codes.size >= MAX_DISTINCT) {
          overflow += c.count;
          continue;
        }
        codes.set(c.code, { ...c, firstLine: c.firstLine + offset, lastLine: c.lastLine + offset, lines: shifted, samples: [...c.samples] });
        continue;
      }
      have.count += c.count;
      have.lastLine = c.lastLine + offset;
      have.lines = have.lines.concat(shifted).slice(0, MAX_LINES_KEPT);
      have.samples = have.samples.concat(c.samples).slice(0, READS_PER_CODE);
    }
    offset += linesOf(part);
  }
  return {
    codes: [...codes.values()].map((c) => ({ ...c, observed: observedOf(c.samples) })),
    lines: offset,
    bytes,
    empty: !sawText,
    overflow,
    hints,
  };
}

export interface ScannerOptions {
  /**
   * Upper-case code prefixes to look for anywhere ("GES", "APIGW"), each with the lengths its
   * numbers have (GES: 4), so "GES.70001" in free text is not taken for a code. Codes of other
   * prefixes, and numbers of other lengths, are found as the value of a code key.
   */
  prefixes: ReadonlyMap<string, readonly number[]>;
  /** Use the WebAssembly finder where it can run (default true; false always searches with indexOf). */
  finder?: boolean;
}

/** Code prefixes of a catalog with the lengths of their numbers. */
export function prefixShapes(codes: Iterable<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const code of codes) {
    const dot = code.indexOf('.');
    if (dot < 1) continue;
    const prefix = code.slice(0, dot).toUpperCase();
    const len = code.length - dot - 1;
    const lens = out.get(prefix);
    if (!lens) out.set(prefix, [len]);
    else if (!lens.includes(len)) lens.push(len);
  }
  return out;
}

/** A code found in the ring: [p, q), positions in the ring. */
interface Candidate {
  p: number;
  q: number;
  code: string;
  /** Its line, when the finder counted it (-1: counted while walking the piece). */
  line: number;
}

/** Most prefixes searched with one indexOf pass each; more take one regular expression. */
const MAX_NEEDLES = 12;
/** Most prefixes the finder takes (with the 4 code-key anchors, within its 64 literals). */
const MAX_FINDER_PREFIXES = MAX_FINDER_NEEDLES - KEY_ANCHORS.length;
/** The longest number a code has (as parseCode reads codes). */
const MAX_DIGITS = 8;
/** Prefixes that are not in any catalog but must be named when seen (APIG.* is not APIGW.*). */
const LOOKALIKE_PREFIXES: [string, number[]][] = [['APIG', [4]]];

/** A code prefix the scanner searches for, with the lengths its numbers have (bit n: n digits). */
interface Prefix {
  /** "GES." */
  dotted: string;
  digits: number;
  /** Its place among the scanner's prefixes (names the codes it finds, see codeName). */
  index: number;
}

/**
 * The bytes a piece's checks may read: ring[lo, hi), the piece with MARGIN on both sides. A byte
 * outside reads as -1, as a character past a string's end reads as NaN: what is found never
 * depends on the bytes beyond, which the next piece reads with its own margins.
 */
interface View {
  b: Buffer;
  lo: number;
  hi: number;
}

function byteAt(v: View, i: number): number {
  return i >= v.lo && i < v.hi ? v.b[i]! : -1;
}

function startsAt(v: View, i: number, text: string): boolean {
  if (i < v.lo || i + text.length > v.hi) return false;
  for (let k = 0; k < text.length; k++) if (v.b[i + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** Distinct code names kept for reuse (see codeName); past this, names are made each time. */
const MAX_NAMES = 2 * MAX_DISTINCT;

/**
 * A literal searched for with native indexOf. indexOf finds the first character of what it is
 * given with memchr, then compares the rest: each occurrence of that character costs a stop, and
 * in a log "G" (DEBUG, GET) or "A" are far more common than "S" or "P". So a literal is searched
 * from its rarest character (`at`: "GES." as "S.", "APIG" as "PIG") and checked whole where found.
 * Which character is rarest is measured on the input itself, once it is known to be large (see
 * tuneLiterals); until then `at` is 0, a plain search. Either way the same positions are found.
 */
interface Literal {
  text: string;
  /** Offset in text of the character the search starts with. */
  at: number;
  /** text.slice(at): what indexOf is given. */
  tail: string;
}

function literal(text: string): Literal {
  return { text, at: 0, tail: text };
}

/** The first position at or after `pos` where `lit` occurs in s, or -1. */
function findLiteral(s: string, lit: Literal, pos: number): number {
  const at = lit.at;
  for (let h = s.indexOf(lit.tail, pos + at); h >= 0; h = s.indexOf(lit.tail, h + 1)) {
    if (at === 0 || s.startsWith(lit.text, h - at)) return h - at;
  }
  return -1;
}

/**
 * Occurrences counted per character when choosing where a search starts: in a 32 KiB sample, a
 * character seen this often stops memchr every 128 bytes or less, common enough to tell apart from
 * the rare ones that matter.
 */
const RARE_CAP = 256;

/**
 * Have each literal searched from its rarest character, as counted in `sample` (ties: the earliest
 * character, so a literal whose characters are all equally common keeps a plain search).
 */
function tuneLiterals(literals: readonly Literal[], sample: string): void {
  // Counted with indexOf, up to RARE_CAP each: this runs once, before the JIT has compiled
  // anything here, and a loop over every character of the sample costs milliseconds there.
  const counts = new Map<string, number>();
  const count = (ch: string): number => {
    let n = counts.get(ch);
    if (n === undefined) {
      n = 0;
      for (let i = sample.indexOf(ch); i >= 0 && n < RARE_CAP; i = sample.indexOf(ch, i + 1)) n++;
      counts.set(ch, n);
    }
    return n;
  };
  for (const lit of literals) {
    let at = 0;
    for (let k = 1; k < lit.text.length; k++) if (count(lit.text[k]!) < count(lit.text[at]!)) at = k;
    lit.at = at;
    lit.tail = lit.text.slice(at);
  }
}

/** One literal search: a prefix with its dot, or a stem several prefixes share ("APIG" for APIG. and APIGW.). */
interface Needle {
  lit: Literal;
  /** The prefixes it finds, longest first. */
  prefixes: Prefix[];
}

/** A code-key anchor (KEY_ANCHORS) with the offset of its "ode". */
interface KeyAnchor {
  lit: Literal;
  ode: number;
}

export class Scanner {
  private readonly needles: Needle[] = [];
  /** KEY_ANCHORS, each with its own search (tuned per input). */
  private readonly keyAnchors: KeyAnchor[] = KEY_ANCHORS.map(([text, ode]) => ({ lit: literal(text), ode }));
  /** Whether tuneLiterals has run: once, on the first piece past FULL_KEY_BYTES. */
  private tuned = false;
  /** Every prefix by name (for the many-prefix regex and the key search). */
  private readonly byPrefix = new Map<string, Prefix>();
  /** The same, as a list (looked through without building the prefix string). */
  private readonly allPrefixes: Prefix[];
  private readonly prefixRe: RegExp | undefined;
  /**
   * The buffer: [0, histLen) was scanned (history), [histLen, used) waits. Input is copied in
   * (producers may reuse their chunks); scanned bytes are moved to the front. It starts small (most
   * inputs are one response) and doubles up to RING, then is reused.
   */
  private ring: Buffer = Buffer.allocUnsafe(FIRST_RING);
  private used = 0;
  private histLen = 0;
  /** Absolute offset of ring[0]. */
  private absStart = 0;
  /** Line number (1-based) at ring[histLen]. */
  private line = 1;
  private readonly stats = new Map<string, CodeStats>();
  private total = 0;
  private lastByte = -1;
  private sawText = false;
  private overflow = 0;
  private occurrences = 0;
  private readonly hints: ScanHints = { koocli: null, http: null, binary: null };
  /** Candidates of the piece being scanned: reused, so a piece allocates no array. */
  private readonly found: Candidate[] = [];
  /** The bytes the piece being scanned may read (reused: a piece allocates no view). */
  private readonly view: View = { b: this.ring, lo: 0, hi: 0 };
  /** Names of codes the prefix searches found, by prefix, length and number: no string per occurrence. */
  private readonly names = new Map<number, string>();
  /** The record window of the piece being scanned (built when a record is first read there). */
  private recordWindow: { w: Window; start: number } | undefined;
  /**
   * The finder, once the input is past FULL_KEY_BYTES (the ring then lives in its memory); null
   * when it is not to be used (option, too many needles, no WebAssembly), undefined until then.
   */
  private finder: Finder | null | undefined;
  /** How many of the finder's needles are this.needles (the rest are the key anchors). */
  private finderPrefixNeedles = 0;

  constructor(opts: ScannerOptions) {
    for (const [p, lens] of [...LOOKALIKE_PREFIXES, ...opts.prefixes]) {
      if (!/^[A-Z][A-Z0-9]*$/.test(p)) continue;
      let bits = this.byPrefix.get(p)?.digits ?? 0;
      for (const n of lens) if (n >= 1 && n <= MAX_DIGITS) bits |= 1 << n;
      this.byPrefix.set(p, { dotted: `${p}.`, digits: bits, index: this.byPrefix.get(p)?.index ?? this.byPrefix.size });
    }
    const names = [...this.byPrefix.keys()];
    // The prefixes a code key's value is checked against before it is read (see keyedCode): all of
    // them while they are few enough to compare one by one.
    this.allPrefixes = names.length <= MAX_FINDER_PREFIXES ? [...this.byPrefix.values()] : [];
    if (names.length <= MAX_FINDER_PREFIXES) {
      // One literal per group of prefixes that start alike: "APIG" finds both APIG. and APIGW.
      // (every indexOf search is a pass over the input). A prefix alone is searched with its dot.
      const groups = new Map<string, string[]>();
      for (const p of [...names].sort((x, y) => x.length - y.length)) {
        const stem = [...groups.keys()].find((g) => p.startsWith(g));
        if (stem !== undefined) groups.get(stem)!.push(p);
        else groups.set(p, [p]);
      }
      for (const [stem, list] of groups) {
        const prefixes = list.sort((x, y) => y.length - x.length).map((p) => this.byPrefix.get(p)!);
        this.needles.push({ lit: literal(list.length === 1 ? `${stem}.` : stem), prefixes });
      }
    }
    // Many prefixes (a large user catalog): the indexOf searches take one alternation instead of a
    // pass per literal; the finder still takes the literals, up to MAX_FINDER_PREFIXES.
    if (names.length > MAX_NEEDLES) this.prefixRe = new RegExp(`(?:${names.sort((x, y) => y.length - x.length).join('|')})\\.`, 'g');
    if (opts.finder === false || names.length > MAX_FINDER_PREFIXES) this.finder = null;
  }

  /** Whether the finder scanned any of this input (for tests: the indexOf searches otherwise). */
  get usedFinder(): boolean {
    return !!this.finder && this.finderPieces > 0;
  }
  private finderPieces = 0;

  /**
   * Move the ring into the finder's memory and give it the needles: the prefix needles, then the
   * key anchors (as the indexOf searches past FULL_KEY_BYTES use them). Null when it cannot.
   */
  private startFinder(): void {
    const needles = [...this.needles.map((n) => n.lit.text), ...this.keyAnchors.map((k) => k.lit.text)];
    const f = finderTakes(needles) ? createFinder(RING + MARGIN) : undefined;
    if (!f) {
      this.finder = null;
      return;
    }
    f.setNeedles(needles);
    this.finderPrefixNeedles = this.needles.length;
    this.ring.copy(f.data, 0, 0, this.used);
    this.ring = f.data.subarray(0, RING);
    this.finder = f;
  }

  /** Bytes received so far. */
  get bytes(): number {
    return this.total;
  }

  /** Error occurrences counted so far (for progress). */
  get errorsSoFar(): number {
    return this.occurrences;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    this.lastByte = chunk[chunk.length - 1]!;
    for (let off = 0; off < chunk.length; ) {
      if (this.used === this.ring.length) this.makeRoom(chunk.length - off);
      const n = Math.min(chunk.length - off, this.ring.length - this.used);
      this.ring.set(off === 0 && n === chunk.length ? chunk : chunk.subarray(off, off + n), this.used);
      this.used += n;
      off += n;
    }
  }

  /**
   * Room for up to `max` bytes after those received, to read input straight into (a file: spares
   * push's copy of every chunk); then commit(n) the n bytes read. Nothing else may be called between.
   */
  reserve(max: number): Uint8Array {
    if (this.used === this.ring.length) this.makeRoom(max);
    return this.ring.subarray(this.used, Math.min(this.ring.length, this.used + max));
  }

  /** Take the first n bytes of what reserve() returned as received. */
  commit(n: number): void {
    if (!(n > 0)) return;
    if (this.used + n > this.ring.length) throw new RangeError('commit: more bytes than reserved');
    this.total += n;
    this.lastByte = this.ring[this.used + n - 1]!;
    this.used += n;
  }

  /** The ring is full: grow it (up to RING), or scan what can be scanned and drop what is no longer needed. */
  private makeRoom(wanted: number): void {
    if (this.ring.length < RING) {
      const bigger = Buffer.allocUnsafe(Math.min(RING, Math.max(this.ring.length * 2, this.used + wanted)));
      this.ring.copy(bigger, 0, 0, this.used);
      this.ring = bigger;
    } else this.scan(false);
  }

  /** Scan what is left and report. */
  finish(): ScanPart {
    this.scan(true);
    return {
      codes: [...this.stats.values()],
      newlines: this.line - 1,
      bytes: this.total,
      lastByte: this.lastByte,
      sawText: this.sawText,
      overflow: this.overflow,
      hints: this.hints,
    };
  }

  /**
   * Scan [histLen, used): all of it at the end, else all but the lookahead. The range is read in
   * pieces of PIECE bytes, each through its own small latin1 string (with MARGIN bytes of context
   * on both sides): strings that small are cheap to make and to collect.
   */
  private scan(final: boolean): void {
    const from = this.histLen;
    const end = final ? this.used : Math.max(from, this.used - LOOKAHEAD);
    // The finder is for logs: started when the ring has grown to its full size past the start.
    if (this.finder === undefined && this.ring.length === RING && this.absStart + end > FULL_KEY_BYTES) this.startFinder();
    for (let a = from; a < end; ) {
      const b = Math.min(end, a + PIECE);
      if (this.finder && this.sawText && this.absStart + a >= FULL_KEY_BYTES) this.scanPieceWithFinder(this.finder, a, b, final);
      else this.scanPiece(a, b, final);
      a = b;
    }
    const keep = Math.max(0, end - HISTORY);
    this.ring.copyWithin(0, keep, this.used);
    this.used -= keep;
    this.histLen = end - keep;
    this.absStart += keep;
  }

  /** Scan ring[a, b): find its codes, record each with its line number, count its newlines. */
  private scanPiece(a: number, b: number, final: boolean): void {
    const sa = Math.max(0, a - MARGIN);
    const s = this.ring.toString('latin1', sa, Math.min(this.used, b + MARGIN));
    const from = a - sa;
    const end = b - sa;
    if (!this.sawText) {
      NON_SPACE.lastIndex = from;
      const m = NON_SPACE.exec(s);
      if (m && m.index < end) this.sawText = true;
    }
    // Hints only matter when nothing is found, and only near the start of the input.
    if (this.stats.size === 0 && this.absStart + a < HINT_BYTES) this.hint(s, from, end, this.absStart + sa === 0);
    this.recordWindow = undefined;
    this.setView(sa, sa + s.length);
    const found = this.candidates(s, sa, from, end, this.absStart + a);
    // Line numbers: each newline is found once, candidates in between take the current count.
    // This loop runs once per line of the input (millions in a log): `nl` stays a small integer
    // (-1 when there is no further newline) so it compiles to integer compares.
    let line = this.line;
    let nl = s.indexOf('\n', from);
    for (let k = 0; k < found.length; k++) {
      const c = found[k]!;
      while (nl >= 0 && nl + sa < c.p) {
        line++;
        nl = s.indexOf('\n', nl + 1);
      }
      this.record(c, a, b, line, final);
    }
    while (nl >= 0 && nl < end) {
      line++;
      nl = s.indexOf('\n', nl + 1);
    }
    this.line = line;
    found.length = 0;
  }

  /**
   * scanPiece with the finder: the needles' hits, each with its line, come from one pass over the
   * bytes, and no string is made: the checks read the bytes through the view scanPiece gives them,
   * on the same margins, so both find the same codes.
   */
  private scanPieceWithFinder(f: Finder, a: number, b: number, final: boolean): void {
    this.finderPieces++;
    // Key anchors are looked for from KEY_REACH before the piece (a key there may have its value in
    // it), prefixes only in it; newlines are counted from there too, and those before `a` taken off.
    const keyFrom = Math.max(0, a - KEY_REACH);
    const hits = f.find(keyFrom, b, this.used);
    let before = 0;
    for (let i = keyFrom; i < a; i++) if (this.ring[i] === 10) before++;
    const line0 = this.line - before;
    this.line = line0 + f.newlines;
    if (hits === 0) return;
    const v = this.setView(Math.max(0, a - MARGIN), Math.min(this.used, b + MARGIN));
    this.recordWindow = undefined;
    const out = this.found;
    const np = this.finderPrefixNeedles;
    for (let h = 0; h < hits; h++) {
      const at = f.hitPosition(h);
      const k = f.hitNeedle(h);
      if (k < np) {
        const pr = at >= a ? prefixAt(v, at, this.needles[k]!) : undefined;
        if (pr) out.push({ p: at, q: pr.end, code: this.codeName(pr.prefix, at, pr.end), line: line0 + f.hitNewlines(h) });
      } else {
        const c = keyedCode(v, at + this.keyAnchors[k - np]!.ode, a, b, this.byPrefix, this.allPrefixes);
        // A key's value is on its line: nothing between them is a newline (see isKeyFill).
        if (c) {
          c.line = line0 + f.hitNewlines(h);
          out.push(c);
        }
      }
    }
    if (out.length > 1) out.sort((x, y) => x.p - y.p);
    for (let k = 0; k < out.length; k++) this.record(out[k]!, a, b, out[k]!.line, final);
    out.length = 0;
  }

  private setView(lo: number, hi: number): View {
    const v = this.view;
    v.b = this.ring;
    v.lo = lo;
    v.hi = hi;
    return v;
  }

  /**
   * The name of the code a prefix search found at ring[p, q): the same string for every occurrence
   * of a code (a log repeats a few codes millions of times), made once from the bytes.
   */
  private codeName(pr: Prefix, p: number, q: number): string {
    const d = p + pr.dotted.length;
    let n = 0;
    for (let j = d; j < q; j++) n = n * 10 + this.ring[j]! - 48;
    const key = (pr.index * 16 + (q - d)) * 1e8 + n;
    let name = this.names.get(key);
    if (name === undefined) {
      name = this.ring.toString('latin1', p, q);
      if (this.names.size < MAX_NAMES) this.names.set(key, name);
    }
    return name;
  }

  /**
   * The window a record is read in: [RECORD_BACK before the piece, LOOKAHEAD after it), one string
   * per piece. Every look back or ahead of extractRecord is shorter than that, so where the piece
   * boundaries fall never changes what is read.
   */
  private windowFor(a: number, b: number, final: boolean): { w: Window; start: number } {
    if (this.recordWindow) return this.recordWindow;
    const start = Math.max(0, a - RECORD_BACK);
    const stop = Math.min(this.used, b + LOOKAHEAD);
    const bytes = this.ring.subarray(start, stop);
    return (this.recordWindow = { w: { s: bytes.toString('latin1'), bytes, final: final && stop === this.used }, start });
  }

  /** Count one occurrence (of piece ring[a, b)) and read its record if needed. */
  private record(c: Candidate, a: number, b: number, line: number, final: boolean): void {
    let st = this.stats.get(c.code);
    const abs = this.absStart + c.p;
    if (st) {
      // One occurrence per record: the same code again on the same line, or inside the record just read, is not counted again.
      if (st.lastLine === line || abs < st.recordEnd) return;
      st.count++;
      st.lastLine = line;
      if (st.lines.length < MAX_LINES_KEPT) st.lines.push(line);
    } else {
      if (this.stats.size >= MAX_DISTINCT) {
        this.overflow++;
        return;
      }
      st = { code: c.code, count: 1, firstLine: line, lastLine: line, lines: [line], samples: [], recordEnd: 0, sampled: false };
      this.stats.set(c.code, st);
    }
    this.occurrences++;
    // Checked by a flag: this runs for every occurrence, and most codes stopped reading long ago.
    if (st.sampled) return;
    const { w, start } = this.windowFor(a, b, final);
    const r = extractRecord(w, c.p - start, c.q - start, 0);
    if (r === 'more') return; // cannot happen with LOOKAHEAD held back; stay safe anyway
    st.recordEnd = this.absStart + start + r.end;
    const o = r.observed;
    const known = (o.httpStatus !== null ? 1 : 0) + (o.requestId !== null ? 1 : 0) + (o.message !== null ? 1 : 0);
    st.samples.push({ observed: o, known });
    st.sampled = known === 3 || st.samples.length >= READS_PER_CODE;
  }

  /** Every code in [from, end) (input offset `atByte`), in order: prefixes anywhere, and any code-shaped value of a code key. */
  private candidates(s: string, sa: number, from: number, end: number, atByte: number): Candidate[] {
    const out = this.found;
    const v = this.view;
    if (!this.tuned && atByte >= FULL_KEY_BYTES) {
      // A large input: worth choosing where each literal's search starts (a piece is a fair sample).
      this.tuned = true;
      tuneLiterals([...this.needles.map((n) => n.lit), ...this.keyAnchors.map((k) => k.lit)], s);
    }
    for (const needle of this.prefixRe ? [] : this.needles) {
      for (let i = findLiteral(s, needle.lit, from); i >= 0 && i < end; i = findLiteral(s, needle.lit, i + 1)) {
        const pr = prefixAt(v, sa + i, needle);
        if (pr) out.push({ p: sa + i, q: pr.end, code: s.slice(i, pr.end - sa), line: -1 });
      }
    }
    if (this.prefixRe) {
      const re = this.prefixRe;
      re.lastIndex = from;
      for (let m = re.exec(s); m && m.index < end; m = re.exec(s)) {
        const q = prefixedEnd(v, sa + m.index, this.byPrefix.get(m[0].slice(0, -1))!);
        if (q >= 0) out.push({ p: sa + m.index, q, code: s.slice(m.index, q - sa), line: -1 });
      }
    }
    // Codes of other services, and known codes written in another case, as the value of a code key.
    const keyFrom = Math.max(0, from - KEY_REACH);
    if (atByte < FULL_KEY_BYTES) {
      for (let i = s.indexOf('ode', keyFrom); i >= 0 && i < end; i = s.indexOf('ode', i + 1)) {
        const c = keyedCode(v, sa + i, sa + from, sa + end, this.byPrefix, this.allPrefixes);
        if (c) out.push(c);
      }
    } else {
      for (const { lit, ode } of this.keyAnchors) {
        for (let i = findLiteral(s, lit, keyFrom); i >= 0 && i < end; i = findLiteral(s, lit, i + 1)) {
          const c = keyedCode(v, sa + i + ode, sa + from, sa + end, this.byPrefix, this.allPrefixes);
          if (c) out.push(c);
        }
      }
    }
    if (out.length > 1) out.sort((x, y) => x.p - y.p);
    return out;
  }

  /** Cheap hints for the "nothing found" message: a KooCLI tag, an HTTP error status with no code, binary data. */
  private hint(s: string, from: number, end: number, inputStart: boolean): void {
    if (!this.hints.binary) {
      const i = s.indexOf('\0', from);
      if (i >= 0 && i < end) this.hints.binary = { line: this.lineOf(s, from, i) };
    }
    if (!this.hints.koocli) {
      const i = s.indexOf('_ERROR]', from);
      if (i >= 0 && i < end) {
        const open = s.lastIndexOf('[', i);
        const tag = open >= 0 && i - open <= 16 ? s.slice(open, i + 7) : '';
        if (/^\[[A-Z]+_ERROR\]$/.test(tag)) this.hints.koocli = { tag, line: this.lineOf(s, from, open) };
      }
    }
    if (!this.hints.http) {
      for (let i = s.indexOf('HTTP/', from); i >= 0 && i < end; i = s.indexOf('HTTP/', i + 1)) {
        const ls = s.lastIndexOf('\n', i - 1) + 1;
        // A line that starts before the piece's margin has too much before "HTTP/" to be a status line.
        if (ls === 0 && !inputStart) continue;
        const lead = s.slice(ls, i);
        if (!/^\s*(?:<\s*)?$/.test(lead)) continue;
        const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(s.slice(i, i + 16));
        if (m && Number(m[1]) >= 400) {
          this.hints.http = { status: Number(m[1]), line: this.lineOf(s, from, i) };
          break;
        }
      }
    }
  }

  private lineOf(s: string, from: number, p: number): number {
    let line = this.line;
    for (let i = s.indexOf('\n', from); i >= 0 && i < p; i = s.indexOf('\n', i + 1)) line++;
    return line;
  }
}

/** Where a needle was found (ring position i): the prefix of the code that starts there and its end, if one does. */
function prefixAt(v: View, i: number, needle: Needle): { prefix: Prefix; end: number } | undefined {
  for (const prefix of needle.prefixes) {
    if (!startsAt(v, i, prefix.dotted)) continue;
    const end = prefixedEnd(v, i, prefix);
    return end >= 0 ? { prefix, end } : undefined;
  }
  return undefined;
}

/**
 * End of the code at ring position i when a prefix (with its dot) starts there and is followed by a
 * number of one of its lengths, at word boundaries; -1 otherwise.
 */
function prefixedEnd(v: View, i: number, pr: Prefix): number {
  if (isWordChar(byteAt(v, i - 1))) return -1;
  const d = i + pr.dotted.length;
  let j = d;
  while (j < v.hi && j - d <= MAX_DIGITS && isDigit(v.b[j]!)) j++;
  if (j - d > MAX_DIGITS || ((pr.digits >> (j - d)) & 1) === 0) return -1;
  const next = byteAt(v, j);
  if (isAlpha(next) || isDigit(next) || next === 95 || (next === 46 && isDigit(byteAt(v, j + 1)))) return -1;
  return j;
}

function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}

/** Quotes, escapes and blanks allowed around the ':' or '=' after a code key. */
function isKeyFill(c: number): boolean {
  return c === 34 || c === 39 || c === 92 || c === 32 || c === 9;
}

/** True when the bytes at a are `word` (lower-case letters) in any case. */
function wordAt(v: View, a: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if ((byteAt(v, a + k) | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

/** True when the letters before ring[c] (a "c" or "C") with it make a code key: code, errorCode, error_code, err-code ... */
function isCodeKey(v: View, c: number): boolean {
  let j = c - 1;
  const before = byteAt(v, j);
  const sep = before === 95 || before === 45;
  if (sep) j--;
  let k = j;
  while (k >= v.lo && j - k < 6 && isAlpha(v.b[k]!)) k--;
  if (isWordChar(byteAt(v, k))) return false;
  const len = j - k;
  if (len === 0) return !sep;
  // Called for every code key in the input: compares in place, builds no string.
  return (len === 5 && wordAt(v, k + 1, 'error')) || (len === 3 && wordAt(v, k + 1, 'err'));
}

/**
 * The code-shaped value (CODE_VALUE: letters and digits, a dot, 2-8 digits) of a key ending in "ode"
 * at ring position i (code, errorCode, error_code, "Error Code" ...), when it starts in the piece
 * [from, end) and the prefix search does not already report it there.
 */
function keyedCode(v: View, i: number, from: number, end: number, byPrefix: ReadonlyMap<string, Prefix>, needlePrefixes: readonly Prefix[]): Candidate | undefined {
  const c0 = byteAt(v, i - 1);
  if ((c0 !== 99 && c0 !== 67) || isAlnum(byteAt(v, i + 3))) return undefined; // c / C
  let j = i + 3;
  const limit = Math.min(v.hi, j + 16);
  while (j < limit && isKeyFill(v.b[j]!)) j++;
  const sep = byteAt(v, j);
  if (sep !== 58 && sep !== 61) return undefined; // : =
  j++;
  while (j < limit && isKeyFill(v.b[j]!)) j++;
  if (j < from || j >= end || !isAlpha(byteAt(v, j))) return undefined;
  // Written as the prefix search finds it ("error_code":"GES.7005", most keyed codes in a log): that
  // search reports it. Checked before the key's name and the value are read, which would come to
  // the same answer at several times the cost: this runs for every code key in the input.
  const first = v.b[j];
  for (const pr of needlePrefixes) if (pr.dotted.charCodeAt(0) === first && startsAt(v, j, pr.dotted) && prefixedEnd(v, j, pr) >= 0) return undefined;
  if (!isCodeKey(v, i - 1)) return undefined;
  // The value is the run of letters, digits and dots (at most 48) from j; it must be one code.
  let dot = -1;
  let e = j + 1;
  for (; e < v.hi && e - j < 48; e++) {
    const c = v.b[e]!;
    if (c === 46) {
      if (dot >= 0) return undefined;
      dot = e;
    } else if (!isAlnum(c)) break;
    else if (dot >= 0 && !isDigit(c)) return undefined;
  }
  if (dot < 0 || dot - j > 32 || e - dot - 1 < 2 || e - dot - 1 > 8 || (e - j >= 48 && e < v.hi)) return undefined;
  // Written as the prefix search finds it (most keyed codes are): that search reports it.
  for (const pr of needlePrefixes) if (dot - j === pr.dotted.length - 1 && startsAt(v, j, pr.dotted) && prefixedEnd(v, j, pr) >= 0) return undefined;
  const prefix = v.b.toString('latin1', j, dot).toUpperCase();
  const pr = byPrefix.get(prefix);
  if (pr && startsAt(v, j, pr.dotted) && prefixedEnd(v, j, pr) >= 0) return undefined;
  return { p: j, q: e, code: `${prefix}.${v.b.toString('latin1', dot + 1, e)}`, line: -1 };
}
