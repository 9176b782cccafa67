// The streaming scanner: finds every error code in a byte stream of any size in bounded memory and
// groups them by code (count, first/last line, a bounded list of lines, one observed record).
//
// Speed comes from not looking at most of the input: each window of bytes becomes one latin1
// string (cheap, and string positions are byte positions), native indexOf finds the few places a
// code can be (a catalog prefix such as "GES.", or a code key such as "error_code"), and only
// there is the record around it read. No string is built per line. Each window keeps some history
// (to read an HTTP head or a multi-line body above a code) and holds back some lookahead (so a
// record that continues past the window is read whole), so chunk boundaries never matter.

import { CODE_VALUE, FORWARD_BYTES, extractRecord, type ObservedRecord, type Window } from './extract.js';
import { isAlnum, isAlpha, isDigit, isSpace } from './text.js';

/** Bytes kept before the scan position for looking back. */
export const HISTORY = 8 * 1024;
/** Bytes held back after it, so a record found before it is always complete. */
export const LOOKAHEAD = FORWARD_BYTES + 1024;
/**
 * Window size. Its latin1 string must stay below V8's large-object threshold (~128 KiB): larger
 * strings are several times slower to make and collect.
 */
const RING = 96 * 1024;
/** Occurrences of one code whose record is read; after that, occurrences are only counted. */
const READS_PER_CODE = 8;
/** Line numbers kept per code. */
export const MAX_LINES_KEPT = 100;
/** Distinct codes tracked; more are counted as overflow. */
const MAX_DISTINCT = 10_000;
/** Only this much of the input is searched for a code-less HTTP error status (for the "nothing found" hint). */
const HTTP_HINT_BYTES = 1 << 20;

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
}

/** What one scanner found in one input (or in one range of a file). Line numbers start at 1 there. */
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

/**
 * Join parts read one after the other: ranges of one file (`continues`: the next part goes on from
 * the same line count) or separate inputs (each starts on a new line). Line numbers are shifted to
 * the joined numbering.
 */
export function mergeParts(parts: readonly { part: ScanPart; newInput: boolean }[]): ScanResult {
  const codes = new Map<string, CodeStats>();
  const hints: ScanHints = { koocli: null, http: null };
  let offset = 0;
  let bytes = 0;
  let overflow = 0;
  let sawText = false;
  let lines = 0;
  let pendingLast = -1;
  for (const { part, newInput } of parts) {
    if (newInput && pendingLast !== -1 && pendingLast !== 10) offset++;
    bytes += part.bytes;
    overflow += part.overflow;
    sawText ||= part.sawText;
    hints.koocli ??= part.hints.koocli && { ...part.hints.koocli, line: part.hints.koocli.line + offset };
    hints.http ??= part.hints.http && { ...part.hints.http, line: part.hints.http.line + offset };
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
    offset += part.newlines;
    if (part.bytes > 0) pendingLast = part.lastByte;
    lines = offset + (pendingLast !== -1 && pendingLast !== 10 ? 1 : 0);
  }
  return {
    codes: [...codes.values()].map((c) => ({ ...c, observed: observedOf(c.samples) })),
    lines,
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

interface Candidate {
  p: number;
  q: number;
  code: string;
}

const MAX_NEEDLES = 12;
/** Prefixes that are not in any catalog but must be named when seen (APIG.* is not APIGW.*). */
const LOOKALIKE_PREFIXES: [string, number[]][] = [['APIG', [4]]];

export class Scanner {
  /** Literal searches: a prefix with its dot, or a shared stem ("APIG" for APIG. and APIGW.). */
  private readonly needles: string[];
  /** For a stem needle: the prefixes it stands for, longest first. */
  private readonly stems = new Map<string, string[]>();
  private readonly prefixes: string[];
  /** Lengths of the numbers each prefix has. */
  private readonly digits = new Map<string, Set<number>>();
  private readonly prefixRe: RegExp | undefined;
  /**
   * The window: one buffer, reused. [0, histLen) was scanned (history), [histLen, used) waits. Input
   * is copied in (producers may reuse their chunks); scanned bytes are moved to the front.
   */
  private readonly ring = Buffer.allocUnsafe(RING);
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
  private readonly hints: ScanHints = { koocli: null, http: null };

  constructor(opts: ScannerOptions) {
    for (const [p, lens] of [...LOOKALIKE_PREFIXES, ...opts.prefixes]) {
      if (/^[A-Z][A-Z0-9]*$/.test(p)) this.digits.set(p, new Set([...(this.digits.get(p) ?? []), ...lens]));
    }
    const prefixes = [...this.digits.keys()];
    this.prefixes = prefixes;
    if (prefixes.length <= MAX_NEEDLES) {
      // One search per group of prefixes that start alike: "APIG" finds both APIG. and APIGW.
      // (every search is a pass over the input). A prefix alone is searched with its dot.
      const groups = new Map<string, string[]>();
      for (const p of [...prefixes].sort((a, b) => a.length - b.length)) {
        const stem = [...groups.keys()].find((g) => p.startsWith(g));
        if (stem !== undefined) groups.get(stem)!.push(p);
        else groups.set(p, [p]);
      }
      this.needles = [];
      for (const [stem, list] of groups) {
        if (list.length === 1) this.needles.push(`${stem}.`);
        else {
          this.needles.push(stem);
          this.stems.set(stem, list.sort((a, b) => b.length - a.length));
        }
      }
    } else {
      // Many prefixes (a large user catalog): one alternation instead of a pass per prefix.
      this.needles = [];
      this.prefixRe = new RegExp(`(?:${prefixes.sort((a, b) => b.length - a.length).join('|')})\\.`, 'g');
    }
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
    this.append(chunk);
  }

  /**
   * Bytes that come before the input (the end of the previous range of a split file): read when
   * looking back from a code, never scanned or counted themselves.
   */
  seedHistory(bytes: Uint8Array): void {
    const h = bytes.subarray(Math.max(0, bytes.length - HISTORY));
    this.ring.set(h, 0);
    this.used = this.histLen = h.length;
  }

  /**
   * Scan what is left and report. `lookahead`: bytes that follow the input (the start of the next
   * range of a split file), read to complete a record but not scanned; `eof`: nothing follows them.
   */
  finish(lookahead?: Uint8Array, eof = lookahead === undefined): ScanPart {
    if (lookahead && lookahead.length) {
      const la = lookahead.subarray(0, LOOKAHEAD);
      if (this.used + la.length > RING) this.scan(false);
      this.ring.set(la, this.used);
      this.used += la.length;
      this.scan(eof, this.used - la.length);
    } else this.scan(true);
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

  private append(chunk: Uint8Array): void {
    for (let off = 0; off < chunk.length; ) {
      const n = Math.min(chunk.length - off, RING - this.used);
      this.ring.set(chunk.subarray(off, off + n), this.used);
      this.used += n;
      off += n;
      if (this.used === RING) this.scan(false);
    }
  }

  /** Scan [histLen, limit): all of it at the end, else all but the lookahead. */
  private scan(final: boolean, limit?: number): void {
    const bytes = this.ring.subarray(0, this.used);
    const from = this.histLen;
    const end = limit ?? (final ? this.used : Math.max(from, this.used - LOOKAHEAD));
    if (end > from) {
      const s = bytes.toString('latin1', 0, this.used);
      if (!this.sawText && /\S/.test(s.slice(from, end))) this.sawText = true;
      const w: Window = { s, bytes, final };
      this.hint(s, from, end);
      // Line numbers: each newline is found once, candidates in between take the current count.
      let line = this.line;
      let nl = s.indexOf('\n', from);
      if (nl < 0) nl = Infinity;
      for (const c of this.candidates(s, from, end)) {
        while (nl < c.p) {
          line++;
          nl = s.indexOf('\n', nl + 1);
          if (nl < 0) nl = Infinity;
        }
        this.record(w, c, line);
      }
      while (nl < end) {
        line++;
        nl = s.indexOf('\n', nl + 1);
        if (nl < 0) nl = Infinity;
      }
      this.line = line;
    }
    const keep = Math.max(0, end - HISTORY);
    this.ring.copyWithin(0, keep, this.used);
    this.used -= keep;
    this.histLen = end - keep;
    this.absStart += keep;
  }

  private record(w: Window, c: Candidate, line: number): void {
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
      st = { code: c.code, count: 1, firstLine: line, lastLine: line, lines: [line], samples: [], recordEnd: 0 };
      this.stats.set(c.code, st);
    }
    this.occurrences++;
    const n = st.samples.length;
    if (n >= READS_PER_CODE || st.samples.some((x) => x.known === 3)) return;
    const r = extractRecord(w, c.p, c.q, 0);
    if (r === 'more') return; // cannot happen with LOOKAHEAD held back; stay safe anyway
    st.recordEnd = this.absStart + r.end;
    const o = r.observed;
    st.samples.push({ observed: o, known: (o.httpStatus !== null ? 1 : 0) + (o.requestId !== null ? 1 : 0) + (o.message !== null ? 1 : 0) });
  }

  /** Every code in [from, end), in order: prefixes anywhere, and any code-shaped value of a code key. */
  private candidates(s: string, from: number, end: number): Candidate[] {
    const out: Candidate[] = [];
    for (const needle of this.needles) {
      for (let i = s.indexOf(needle, from); i >= 0 && i < end; i = s.indexOf(needle, i + 1)) {
        const c = needle.endsWith('.') ? prefixedCode(s, i, needle.length, this.digits) : stemCode(s, i, needle.length, this.stems, this.digits);
        if (c) out.push(c);
      }
    }
    if (this.prefixRe) {
      const re = this.prefixRe;
      re.lastIndex = from;
      for (let m = re.exec(s); m && m.index < end; m = re.exec(s)) {
        const c = prefixedCode(s, m.index, m[0].length, this.digits);
        if (c) out.push(c);
      }
    }
    // Codes of other services, and known codes written in another case, as the value of a code key.
    for (let i = s.indexOf('ode', Math.max(0, from - 48)); i >= 0 && i < end; i = s.indexOf('ode', i + 1)) {
      const c = keyedCode(s, i);
      if (c && c.p >= from && c.p < end && !this.isNeedleAt(s, c.p)) out.push(c);
    }
    if (out.length > 1) out.sort((a, b) => a.p - b.p);
    return out;
  }

  /** True when the prefix search already reports the code at p (so the key search must not add it again). */
  private isNeedleAt(s: string, p: number): boolean {
    const dot = s.indexOf('.', p);
    return dot > p && prefixedCode(s, p, dot - p + 1, this.digits) !== undefined;
  }

  /** Cheap hints for the "nothing found" message: a KooCLI tag, an HTTP error status with no code. */
  private hint(s: string, from: number, end: number): void {
    if (!this.hints.koocli) {
      const i = s.indexOf('_ERROR]', from);
      if (i >= 0 && i < end) {
        const open = s.lastIndexOf('[', i);
        const tag = open >= 0 && i - open <= 16 ? s.slice(open, i + 7) : '';
        if (/^\[[A-Z]+_ERROR\]$/.test(tag)) this.hints.koocli = { tag, line: this.lineOf(s, from, open) };
      }
    }
    if (!this.hints.http && this.absStart + from < HTTP_HINT_BYTES) {
      for (let i = s.indexOf('HTTP/', from); i >= 0 && i < end; i = s.indexOf('HTTP/', i + 1)) {
        const ls = s.lastIndexOf('\n', i - 1) + 1;
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

/** The code at a stem needle found at i: whichever of its prefixes is followed by a dot. */
function stemCode(s: string, i: number, len: number, stems: Map<string, string[]>, digits: Map<string, Set<number>>): Candidate | undefined {
  for (const p of stems.get(s.slice(i, i + len)) ?? []) {
    if (s.charCodeAt(i + p.length) === 46 && s.startsWith(p, i)) return prefixedCode(s, i, p.length + 1, digits);
  }
  return undefined;
}

/** The code at a prefix needle found at i ("GES." + digits), checked for word boundaries. */
function prefixedCode(s: string, i: number, len: number, lengths: Map<string, Set<number>>): Candidate | undefined {
  if (i > 0 && (isAlnum(s.charCodeAt(i - 1)) || s.charCodeAt(i - 1) === 95)) return undefined;
  let j = i + len;
  while (j < s.length && j - (i + len) <= 8 && isDigit(s.charCodeAt(j))) j++;
  if (!lengths.get(s.slice(i, i + len - 1))?.has(j - (i + len))) return undefined;
  const next = s.charCodeAt(j);
  if (isAlpha(next) || isDigit(next) || next === 95 || (next === 46 && isDigit(s.charCodeAt(j + 1)))) return undefined;
  return { p: i, q: j, code: s.slice(i, j) };
}

/** True when the letters before s[c] (a "c" or "C") with it make a code key: code, errorCode, error_code, err-code ... */
function isCodeKey(s: string, c: number): boolean {
  let j = c - 1;
  const sep = j >= 0 && (s.charCodeAt(j) === 95 || s.charCodeAt(j) === 45);
  if (sep) j--;
  let k = j;
  while (k >= 0 && j - k < 6 && isAlpha(s.charCodeAt(k))) k--;
  if (k >= 0 && (isAlnum(s.charCodeAt(k)) || s.charCodeAt(k) === 95)) return false;
  const len = j - k;
  if (len === 0) return !sep;
  // Called for every "ode" in the input: compare without building strings where possible.
  return (len === 5 || len === 3) && s.slice(k + 1, j + 1).toLowerCase() === (len === 5 ? 'error' : 'err');
}

/** The code-shaped value of a key ending in "ode" at i (code, errorCode, error_code, "Error Code" ...). */
function keyedCode(s: string, i: number): Candidate | undefined {
  const c0 = s.charCodeAt(i - 1);
  if ((c0 !== 99 && c0 !== 67) || isAlnum(s.charCodeAt(i + 3)) || !isCodeKey(s, i - 1)) return undefined; // c / C
  let j = i + 3;
  const limit = Math.min(s.length, j + 16);
  while (j < limit && (s[j] === '"' || s[j] === "'" || s[j] === '\\' || isSpace(s.charCodeAt(j)))) j++;
  if (s[j] !== ':' && s[j] !== '=') return undefined;
  j++;
  while (j < limit && (s[j] === '"' || s[j] === "'" || s[j] === '\\' || isSpace(s.charCodeAt(j)))) j++;
  if (!isAlpha(s.charCodeAt(j))) return undefined;
  let e = j;
  while (e < s.length && e - j < 48 && (isAlnum(s.charCodeAt(e)) || s.charCodeAt(e) === 46)) e++;
  const m = CODE_VALUE.exec(s.slice(j, e));
  if (!m) return undefined;
  return { p: j, q: e, code: `${m[1]!.toUpperCase()}.${m[2]}` };
}
