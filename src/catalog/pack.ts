// The indexed form of validated catalogs ("pack"): what the build ships as dist/catalog.pack and what
// the user-catalog cache keeps. A lookup reads a small header, one hash-table slot and one entry, by
// position, instead of reading and parsing every entry: start-up is most of a lookup's cost, and a
// 50,000-code user catalog takes hundreds of ms to read, parse and validate in full.
//
// Layout (integers little-endian u32):
//   "GESPACK3"  u32 headerLength  header (JSON)  then, per part, 4-byte aligned sections:
//   codeTable   slots × [hash, index+1]   open addressing on the upper-case code (0 = empty)
//   numberTable slots × [hash, index+1]   the same on the number alone (several entries may share one)
//   offsets     (count + 1) × u32          entry i is entries[offsets[i] .. offsets[i+1] - 2]
//   codes       "CODE\tVARIANTS\n" per entry, for summaries and suggestions without parsing entries
//   entries     "[e0,\ne1,\n...]": a JSON array of the entries (without their catalog), one per line
//   heads       a JSON array of each entry's code and variants' status and message (EntryHead), for
//               listing without parsing remediation, descriptions and notes
//   text        each entry's folded search text (searchtext.ts) followed by a NUL, scanned as bytes
//   textOffsets (count + 1) × u32          entry i's text starts at textOffsets[i]
//   filter      the byte trigrams of each block of FILTER_BLOCK entries' texts, hashed to one of
//               FILTER_ROWS bits, stored bit-sliced: row r holds one bit per block, set when the block
//               has a trigram that hashes to r. A search ANDs the rows of its needles' trigrams (a few
//               hundred bytes each) and reads the text of only the blocks left

import { closeSync, fstatSync, openSync } from 'node:fs';
import { isAsciiAt, readAt, u32le, utf8 } from '../bytes.js';
import type { CatalogEntry, CatalogInfo, EntryHead } from './types.js';
import type { ValidatedCatalog } from './validate.js';
import { entrySearchText } from './searchtext.js';

/** One catalog file's entries, read on demand. The bundled tables and each user catalog are parts. */
export interface CatalogPart {
  readonly info: CatalogInfo;
  readonly size: number;
  /** Upper-case prefixes of its codes. */
  readonly prefixes: readonly string[];
  /** Index of the entry whose upper-case code is `key`, or -1. */
  find(key: string): number;
  /** Indices, in order, of the entries whose number is `number`. */
  findNumber(number: string): number[];
  /** Every code as written, with its number of variants, in order; without building the entries. */
  codes(): { code: string; variants: number }[];
  /** codesDigest(codes()), kept in a pack's header so that asking reads no code list. */
  readonly codesDigest: string;
  entry(index: number): CatalogEntry;
  all(): readonly CatalogEntry[];
  /** Every entry's code, catalog and variants' status and message, in order. */
  heads(): readonly EntryHead[];
  /**
   * The entries, in order, whose search text contains every needle (all folded, see searchtext.ts),
   * with their upper-case codes (read from the text, so no entry is parsed to learn it).
   */
  matching(needles: readonly string[]): { index: number; key: string }[];
}

export const PACK_MAGIC = 'GESPACK3';

/** Entries read one by one before a part reads its whole table of entry offsets. */
const WHOLE_OFFSETS_AFTER = 16;

/**
 * The search filter: entries per block, and trigram bits (rows) per block, a power of two. 32 entries
 * of a few hundred bytes hold some thousands of distinct trigrams, which set about a third of 8,192
 * bits, so a needle of three or more trigrams passes a block that lacks it a few times in a hundred.
 * For a 50,000-code catalog the filter is 1.6 MB, of which a search reads one 196-byte row per
 * trigram of its needles (reading all of it cost such a search ~375 page faults).
 */
export const FILTER_BLOCK = 32;
const FILTER_BITS_LOG2 = 13;
const FILTER_ROWS = 1 << FILTER_BITS_LOG2;
/** Rows a search reads at most: any subset of a needle's trigrams narrows the blocks soundly. */
const MAX_FILTER_ROWS = 32;
/** A filter this small is read whole, in one read, rather than row by row. */
const SMALL_FILTER = 64 * 1024;
const rowBytesFor = (entries: number): number => Math.ceil(Math.ceil(entries / FILTER_BLOCK) / 8);

/** The filter bit of the byte trigram a b c (a multiplicative hash's top bits). */
function trigramBit(a: number, b: number, c: number): number {
  return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> (32 - FILTER_BITS_LOG2);
}

/** The filter bits a text needs: those of each of its byte trigrams; none for a text of under three bytes. */
export function trigramBits(text: Uint8Array): number[] {
  const bits = new Set<number>();
  for (let i = 0; i + 2 < text.length; i++) bits.add(trigramBit(text[i]!, text[i + 1]!, text[i + 2]!));
  return [...bits];
}

/** FNV-1a over UTF-16 code units; codes are ASCII (CODE_PATTERN). Never 0, which marks an empty slot. */
export function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

const numberOf = (code: string): string => code.slice(code.indexOf('.') + 1);

/**
 * A short digest of a code list (codes and variant counts, in order). Parts with the same digests
 * make catalogs with the same codes in the same order, so the prebuilt indexes, which record the
 * bundled parts' digests, are checked against a catalog without reading its code lists.
 */
export function codesDigest(codes: readonly { code: string; variants: number }[]): string {
  const text = codes.map((c) => `${c.code}\t${c.variants}`).join('\n');
  return `${codes.length}.${text.length}.${hashKey(text).toString(36)}`;
}

// ---- in memory ------------------------------------------------------------------------------------

/** A part over entries already in memory (validated from source, or just validated from a user file). */
export function memoryPart(c: ValidatedCatalog): CatalogPart {
  let texts: string[] | undefined;
  let codeList: { code: string; variants: number }[] | undefined;
  let byKey: Map<string, number> | undefined;
  let byNumber: Map<string, number[]> | undefined;
  let digest: string | undefined;
  const index = () => {
    if (!byKey) {
      byKey = new Map();
      byNumber = new Map();
      c.entries.forEach((e, i) => {
        byKey!.set(e.code.toUpperCase(), i);
        const n = numberOf(e.code);
        const list = byNumber!.get(n);
        if (list) list.push(i);
        else byNumber!.set(n, [i]);
      });
    }
    return { byKey, byNumber: byNumber! };
  };
  return {
    info: c.info,
    size: c.entries.length,
    prefixes: [...new Set(c.entries.map((e) => e.code.slice(0, e.code.indexOf('.')).toUpperCase()))],
    find: (key) => index().byKey.get(key) ?? -1,
    findNumber: (n) => index().byNumber.get(n) ?? [],
    codes: () => (codeList ??= c.entries.map((e) => ({ code: e.code, variants: e.variants.length }))),
    get codesDigest() {
      return (digest ??= codesDigest(this.codes()));
    },
    entry: (i) => c.entries[i]!,
    all: () => c.entries,
    heads: () => c.entries,
    matching: (needles) => {
      texts ??= c.entries.map(entrySearchText);
      const out: { index: number; key: string }[] = [];
      texts.forEach((t, i) => {
        if (needles.every((n) => t.includes(n))) out.push({ index: i, key: c.entries[i]!.code.toUpperCase() });
      });
      return out;
    },
  };
}

// ---- writing --------------------------------------------------------------------------------------

interface PartHeader {
  info: CatalogInfo;
  count: number;
  prefixes: string[];
  /** codesDigest of the part's code list. */
  codesDigest: string;
  /** Absolute file offsets and sizes of the sections. */
  codeTable: [number, number];
  numberTable: [number, number];
  offsets: number;
  codes: [number, number];
  entries: [number, number];
  heads: [number, number];
  text: [number, number];
  textOffsets: number;
  filter: [number, number];
}

interface PackHeader {
  /** Whatever the writer wants checked before the pack is used (the user-catalog cache's key). */
  key: unknown;
  total: number;
  parts: PartHeader[];
}

function table(keys: readonly string[]): Buffer {
  let slots = 8;
  while (slots < keys.length * 2) slots *= 2;
  const t = new Uint32Array(slots * 2);
  keys.forEach((k, i) => {
    const h = hashKey(k);
    let s = h & (slots - 1);
    while (t[s * 2 + 1] !== 0) s = (s + 1) & (slots - 1);
    t[s * 2] = h;
    t[s * 2 + 1] = i + 1;
  });
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength);
}

const align4 = (n: number) => (n + 3) & ~3;


const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The little-endian u32s in `b` as an array: a view when the host is little-endian and `b` aligned. */
function u32Array(b: Buffer): Uint32Array {
  if (LITTLE_ENDIAN && b.byteOffset % 4 === 0) return new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
  const out = new Uint32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = u32le(b, i * 4);
  return out;
}

function searchText(entries: readonly CatalogEntry[]): [Buffer, Buffer, Buffer] {
  const texts = entries.map((e) => Buffer.from(entrySearchText(e).replace(/\0/g, ' ') + '\0'));
  const offsets = new Uint32Array(texts.length + 1);
  let at = 0;
  texts.forEach((t, i) => {
    offsets[i] = at;
    at += t.length;
  });
  offsets[texts.length] = at;
  const rowBytes = rowBytesFor(texts.length);
  const filter = Buffer.alloc(FILTER_ROWS * rowBytes);
  texts.forEach((t, i) => {
    const block = Math.floor(i / FILTER_BLOCK);
    const byte = block >> 3;
    const mask = 1 << (block & 7);
    // The NUL ends the text: no trigram of the needle, which never holds one, can span it.
    for (let k = 0; k + 3 < t.length; k++) filter[trigramBit(t[k]!, t[k + 1]!, t[k + 2]!) * rowBytes + byte]! |= mask;
  });
  return [Buffer.concat(texts), Buffer.from(offsets.buffer, offsets.byteOffset, offsets.byteLength), filter];
}

/**
 * JSON with every character beyond ASCII escaped (\uXXXX). An entry read back is decoded from its
 * bytes before it is parsed: ASCII decodes to a one-byte string, half the memory of the two-byte one
 * a single Chinese character makes of the whole text (a search parses a hundred entries).
 */
function asciiJson(value: unknown): string {
  // A loop, not a replace with a callback: packing a 50,000-code catalog escapes ~2 million characters.
  const json = JSON.stringify(value);
  let out = '';
  let last = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) continue;
    out += `${json.slice(last, i)}\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
    last = i + 1;
  }
  return last === 0 ? json : out + json.slice(last);
}

const HEX = '0123456789abcdef';

/** Serialize validated catalogs into one pack. `key` is stored in the header for the reader to check. */
export function writePack(parts: readonly ValidatedCatalog[], key: unknown = null): Buffer {
  const bodies = parts.map((p) => {
    const keys = p.entries.map((e) => e.code.toUpperCase());
    const texts = p.entries.map(({ catalog: _, ...rest }) => Buffer.from(asciiJson(rest)));
    const offsets = new Uint32Array(texts.length + 1);
    let at = 1; // after "["
    texts.forEach((t, i) => {
      offsets[i] = at;
      at += t.length + 2; // ",\n" or the closing "]" plus one
    });
    offsets[texts.length] = texts.length ? at : 3;
    const entries: Buffer[] = [Buffer.from('[')];
    texts.forEach((t, i) => entries.push(t, Buffer.from(i < texts.length - 1 ? ',\n' : ']')));
    if (!texts.length) entries.push(Buffer.from(']'));
    return {
      info: p.info,
      prefixes: [...new Set(keys.map((k) => k.slice(0, k.indexOf('.'))))],
      codesDigest: codesDigest(p.entries.map((e) => ({ code: e.code, variants: e.variants.length }))),
      sections: [
        table(keys),
        table(keys.map(numberOf)),
        Buffer.from(offsets.buffer, offsets.byteOffset, offsets.byteLength),
        Buffer.from(p.entries.map((e) => `${e.code}\t${e.variants.length}\n`).join('')),
        Buffer.concat(entries),
        Buffer.from(JSON.stringify(p.entries.map((e) => ({ code: e.code, variants: e.variants.map((v) => ({ httpStatus: v.httpStatus, message: v.message })) })))),
        ...searchText(p.entries),
      ],
      count: p.entries.length,
    };
  });
  // The header holds the sections' offsets, which depend on the header's own length: lay it out
  // until that length stops changing (twice or three times; the digits settle at once).
  let headerLength = 0;
  let header: PackHeader;
  let headerText: string;
  for (;;) {
    let at = align4(12 + headerLength);
    header = { key, total: 0, parts: [] };
    for (const b of bodies) {
      const where = b.sections.map((s) => {
        const start = at;
        at = align4(at + s.length);
        return [start, s.length] as [number, number];
      });
      header.parts.push({
        info: b.info,
        count: b.count,
        prefixes: b.prefixes,
        codesDigest: b.codesDigest,
        codeTable: [where[0]![0], where[0]![1] / 8],
        numberTable: [where[1]![0], where[1]![1] / 8],
        offsets: where[2]![0],
        codes: where[3]!,
        entries: where[4]!,
        heads: where[5]!,
        text: where[6]!,
        textOffsets: where[7]![0],
        filter: where[8]!,
      });
    }
    header.total = at;
    headerText = JSON.stringify(header);
    if (Buffer.byteLength(headerText) === headerLength) break;
    headerLength = Buffer.byteLength(headerText);
  }
  const out = Buffer.alloc(header.total);
  out.write(PACK_MAGIC, 0, 'latin1');
  out.writeUInt32LE(headerLength, 8);
  out.write(headerText, 12, 'utf8');
  header.parts.forEach((ph, i) => {
    const [a, b, c, d, e, f, g, h, k] = bodies[i]!.sections as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    a.copy(out, ph.codeTable[0]);
    b.copy(out, ph.numberTable[0]);
    c.copy(out, ph.offsets);
    d.copy(out, ph.codes[0]);
    e.copy(out, ph.entries[0]);
    f.copy(out, ph.heads[0]);
    g.copy(out, ph.text[0]);
    h.copy(out, ph.textOffsets);
    k.copy(out, ph.filter[0]);
  });
  return out;
}

// ---- reading --------------------------------------------------------------------------------------

export class PackError extends Error {}

/** Reads a pack file by position; only the bytes a question needs are read. */
class PackFile {
  private readonly scratch = Buffer.allocUnsafe(64);
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  read(pos: number, len: number): Buffer {
    return this.fill(len <= this.scratch.length ? this.scratch.subarray(0, len) : Buffer.allocUnsafe(len), pos);
  }

  /** Fill `buf` with the bytes at `pos`, checked against the file's size. */
  private fill(buf: Buffer, pos: number): Buffer {
    const len = buf.length;
    if (pos < 0 || pos + len > this.size) throw new PackError('pack section out of bounds');
    if (readAt(this.fd, buf, pos) < len) throw new PackError('pack file is truncated');
    return buf;
  }

  u32(pos: number): number {
    return u32le(this.read(pos, 4), 0);
  }

  /** `count` u32s from `pos`, in an array of their own (never a view of the scratch buffer). */
  u32s(pos: number, count: number): Uint32Array {
    // A buffer of its own: small ones come from Node's pool, 8-byte aligned, so the array is a view.
    return u32Array(this.fill(Buffer.allocUnsafe(count * 4), pos));
  }

  /**
   * Call `hit(offset)` (relative to `start`) for matches of `needle` in [start, start + length),
   * reading through one reused buffer: a fresh buffer per read would pay the page faults of new memory.
   * `hit` returns where to resume the search (relative to `start`), to skip the rest of an entry.
   */
  scan(start: number, length: number, needle: Buffer, hit: (offset: number, chunk: Buffer, chunkStart: number) => number): void {
    const size = Math.min(length, 1 << 20);
    if (needle.length === 0 || needle.length > size) return;
    let from = 0;
    while (from + needle.length <= length) {
      const len = Math.min(size, length - from);
      // One reused buffer: a fresh one per read would pay the page faults of new memory.
      const buf = this.fill((this.chunk ??= Buffer.allocUnsafe(1 << 20)).subarray(0, len), start + from);
      let i = buf.indexOf(needle);
      let next = from + len - needle.length + 1; // a match may straddle the chunk's end
      while (i >= 0) {
        const resume = hit(from + i, buf, from);
        if (resume >= from + len) {
          next = resume;
          break;
        }
        i = buf.indexOf(needle, Math.max(i + 1, resume - from));
      }
      if (len < size || next >= length) break;
      from = Math.max(next, from + 1);
    }
  }

  private chunk: Buffer | undefined;
}

class PackPart implements CatalogPart {
  readonly info: CatalogInfo;
  readonly size: number;
  readonly prefixes: readonly string[];
  private readonly memo = new Map<number, CatalogEntry>();
  private allEntries: CatalogEntry[] | undefined;
  private headList: EntryHead[] | undefined;

  constructor(
    private readonly file: PackFile,
    private readonly h: PartHeader,
    info: CatalogInfo,
  ) {
    this.info = info;
    this.size = h.count;
    this.prefixes = h.prefixes;
  }

  get codesDigest(): string {
    return typeof this.h.codesDigest === 'string' ? this.h.codesDigest : codesDigest(this.codes());
  }

  private blocks = new Map<number, Uint32Array>();

  /**
   * Slot s of a hash table as [hash, index + 1]. Tables are read in blocks of 64 slots, kept once
   * read: a probe sequence is contiguous, so a lookup costs one read, and small tables one read in all.
   */
  private slot(table: [number, number], s: number): [number, number] {
    const [start, slots] = table;
    const first = s & ~63;
    const key = start + first * 8;
    let block = this.blocks.get(key);
    if (!block) {
      block = this.file.u32s(key, Math.min(64, slots - first) * 2);
      this.blocks.set(key, block);
    }
    return [block[(s - first) * 2]!, block[(s - first) * 2 + 1]!];
  }

  private probe(table: [number, number], key: string, keyOf: (i: number) => string, all: boolean): number[] {
    const slots = table[1];
    const hash = hashKey(key);
    const found: number[] = [];
    if (slots === 0) return found;
    for (let s = hash & (slots - 1), n = 0; n < slots; s = (s + 1) & (slots - 1), n++) {
      const [slotHash, index] = this.slot(table, s);
      if (index === 0) break;
      if (slotHash === hash && index <= this.size && keyOf(index - 1) === key) {
        found.push(index - 1);
        if (!all) break;
      }
    }
    return found;
  }

  find(key: string): number {
    // A code of another family is not here: no need to probe (a user catalog's search asks the
    // bundled parts about each of its candidates, to see whether they override a bundled code).
    if (!this.hasPrefixOf(key)) return -1;
    return this.probe(this.h.codeTable, key, (i) => this.entry(i).code.toUpperCase(), false)[0] ?? -1;
  }

  /** Whether the family prefix of `key` (before its dot) is one of this part's (no string is cut out to ask). */
  private hasPrefixOf(key: string): boolean {
    const dot = key.indexOf('.');
    for (let i = 0; i < this.prefixes.length; i++) {
      const p = this.prefixes[i]!;
      if (p.length === dot && key.startsWith(p)) return true;
    }
    return false;
  }

  findNumber(number: string): number[] {
    return this.probe(this.h.numberTable, number, (i) => numberOf(this.entry(i).code), true).sort((a, b) => a - b);
  }

  private codeList: { code: string; variants: number }[] | undefined;

  codes(): { code: string; variants: number }[] {
    if (this.codeList) return this.codeList;
    const text = utf8(this.file.read(...this.h.codes));
    const out: { code: string; variants: number }[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      const tab = line.indexOf('\t');
      out.push({ code: line.slice(0, tab), variants: Number(line.slice(tab + 1)) });
    }
    if (out.length !== this.size) throw new PackError('pack code list does not match its count');
    return (this.codeList = out);
  }

  entry(index: number): CatalogEntry {
    const known = this.allEntries?.[index] ?? this.memo.get(index);
    if (known) return known;
    if (!(index >= 0 && index < this.size)) throw new PackError('entry index out of range');
    // After many single entries, read the offsets whole: one read instead of two per entry.
    if (!this.entryOffsets && this.memo.size >= WHOLE_OFFSETS_AFTER) this.readOffsets();
    let start: number;
    let end: number;
    if (this.entryOffsets) {
      start = this.entryOffsets[index]!;
      end = this.entryOffsets[index + 1]! - 2;
    } else {
      // Both offsets in one read.
      const pair = this.file.read(this.h.offsets + index * 4, 8);
      start = u32le(pair, 0);
      end = u32le(pair, 4) - 2;
    }
    if (!(start >= 1 && end > start && end <= this.h.entries[1])) throw new PackError('pack offsets are damaged');
    const e = this.relink(JSON.parse(utf8(this.file.read(this.h.entries[0] + start, end - start))));
    this.memo.set(index, e);
    return e;
  }

  private readOffsets(): void {
    this.entryOffsets = this.file.u32s(this.h.offsets, this.size + 1);
  }

  all(): readonly CatalogEntry[] {
    if (!this.allEntries) {
      const raw = JSON.parse(utf8(this.file.read(...this.h.entries))) as unknown[];
      if (!Array.isArray(raw) || raw.length !== this.size) throw new PackError('pack entries do not match its count');
      // Entries already handed out keep their identity.
      this.allEntries = raw.map((r, i) => this.memo.get(i) ?? this.relink(r));
    }
    return this.allEntries;
  }

  heads(): readonly EntryHead[] {
    if (this.allEntries) return this.allEntries;
    if (!this.headList) {
      const raw = JSON.parse(utf8(this.file.read(...this.h.heads))) as EntryHead[];
      if (!Array.isArray(raw) || raw.length !== this.size) throw new PackError('pack heads do not match its count');
      for (const h of raw) {
        if (!h || typeof h.code !== 'string' || !Array.isArray(h.variants)) throw new PackError('pack head is damaged');
        h.catalog = this.info;
      }
      this.headList = raw;
    }
    return this.headList;
  }

  private textOffsets: Uint32Array | undefined;
  private entryOffsets: Uint32Array | undefined;
  /** Bytes of search text the last matching() had to read, after the filter (for tests and tuning). */
  lastScanBytes = 0;

  matching(needles: readonly string[]): { index: number; key: string }[] {
    if (this.size === 0) return [];
    if (!this.textOffsets) {
      this.textOffsets = this.file.u32s(this.h.textOffsets, this.size + 1);
      if (this.textOffsets[this.size] !== this.h.text[1]) throw new PackError('pack search text does not match its offsets');
    }
    const offs = this.textOffsets;
    const bytes = needles.map((n) => Buffer.from(n));
    const ranges = this.passingRanges(bytes);
    let scanBytes = 0;
    for (let r = 0; r < ranges.length; r++) scanBytes += offs[ranges[r]![1]]! - offs[ranges[r]![0]]!;
    this.lastScanBytes = scanBytes;
    // Index loops, no destructuring, one callback for all ranges: a search of a large catalog scans
    // ~100 ranges in code that runs once, never optimized, where each of those allocates.
    let result: { index: number; key: string }[] | undefined;
    let found: { index: number; key: string }[] = [];
    let allowed: Map<number, { index: number; key: string }> | undefined;
    let first = 0;
    let end = 0;
    let from = 0;
    const hit = (rel: number, chunk: Buffer, chunkStart: number): number => {
      const at = from + rel;
      // The entry holding byte `at`: the last whose text starts at or before it.
      let lo = first;
      let hi = end - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (offs[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      if (allowed) {
        const r = allowed.get(lo);
        if (r) found.push(r);
      } else found.push({ index: lo, key: this.codeAt(offs[lo]!, chunk, from + chunkStart) });
      return offs[lo + 1]! - from; // on to the next entry
    };
    for (let n = 0; n < bytes.length; n++) {
      found = [];
      allowed = result && new Map(result.map((r) => [r.index, r]));
      for (let r = 0; r < ranges.length; r++) {
        first = ranges[r]![0];
        end = ranges[r]![1];
        from = offs[first]!;
        // scan() counts from the start of the range; offs counts from the start of the text.
        this.file.scan(this.h.text[0] + from, offs[end]! - from, bytes[n]!, hit);
      }
      result = found;
      if (!result.length) break;
    }
    // The caller reads these entries next: when they are many, the offsets go in one read now
    // rather than two reads for each of the first ones.
    if (result && result.length >= WHOLE_OFFSETS_AFTER && !this.entryOffsets) this.readOffsets();
    return result ?? [];
  }

  /** Filter bytes the last matching() read (for tests and tuning). */
  lastFilterBytes = 0;

  /** Runs of entries [first, end) whose filter blocks hold every trigram of every needle, adjacent runs merged. */
  private passingRanges(needles: readonly Uint8Array[]): [number, number][] {
    const bits = [...new Set(needles.flatMap((n) => trigramBits(n)))].slice(0, MAX_FILTER_ROWS);
    this.lastFilterBytes = 0;
    if (!bits.length) return [[0, this.size]];
    const [start, length] = this.h.filter;
    const rowBytes = rowBytesFor(this.size);
    if (length !== FILTER_ROWS * rowBytes) throw new PackError('pack search filter does not match its count');
    const whole = length <= SMALL_FILTER ? this.file.read(start, length) : undefined;
    // The blocks that hold every trigram: the AND of their rows.
    // A typed array's own fill: Buffer.alloc(n, 0xff) would compile Node's _fill on first use.
    const pass = new Uint8Array(rowBytes).fill(0xff);
    for (const bit of bits) {
      const row = whole ? whole.subarray(bit * rowBytes, (bit + 1) * rowBytes) : this.file.read(start + bit * rowBytes, rowBytes);
      for (let i = 0; i < rowBytes; i++) pass[i]! &= row[i]!;
    }
    this.lastFilterBytes = whole ? length : bits.length * rowBytes;
    const blocks = Math.ceil(this.size / FILTER_BLOCK);
    const ranges: [number, number][] = [];
    for (let b = 0; b < blocks; b++) {
      // Most bytes pass no block: skip them whole (this loop runs once, never optimized).
      if ((b & 7) === 0 && pass[b >> 3] === 0) {
        b += 7;
        continue;
      }
      if ((pass[b >> 3]! & (1 << (b & 7))) === 0) continue;
      const first = b * FILTER_BLOCK;
      const end = Math.min(this.size, first + FILTER_BLOCK);
      const last = ranges[ranges.length - 1];
      if (last && last[1] === first) last[1] = end;
      else ranges.push([first, end]);
    }
    return ranges;
  }

  /** The code an entry's search text starts with (its first line), upper case. */
  private codeAt(textStart: number, chunk: Buffer, chunkStart: number): string {
    const rel = textStart - chunkStart;
    const end = rel >= 0 ? chunk.indexOf(10, rel) : -1;
    // Codes are ASCII (CODE_PATTERN in validate.ts): read as UTF-8, which needs no encoding lookup.
    const code = end >= 0 ? utf8(chunk, rel, end) : utf8(this.file.read(this.h.text[0] + textStart, Math.min(64, this.h.text[1] - textStart))).split('\n')[0]!;
    return code.toUpperCase();
  }

  private relink(raw: unknown): CatalogEntry {
    const e = raw as CatalogEntry;
    if (!e || typeof e.code !== 'string' || !Array.isArray(e.variants)) throw new PackError('pack entry is damaged');
    e.catalog = this.info;
    return e;
  }
}

/**
 * Open a pack file. `accept(key)` decides whether the pack's key is the one wanted (a cache checks
 * that its source has not changed); a pack that is not accepted, or not a well-formed pack, gives
 * undefined or throws PackError. The file stays open for the life of the process.
 */
export function openPack(path: string, accept: (key: unknown) => boolean = () => true, patchInfo?: (info: CatalogInfo) => CatalogInfo): CatalogPart[] | undefined {
  const fd = openSync(path, 'r');
  let keep = false;
  try {
    const size = fstatSync(fd).size;
    const file = new PackFile(fd, size);
    if (size < 12 || !isAsciiAt(file.read(0, 8), PACK_MAGIC)) throw new PackError('not a ges-err pack');
    const headerLength = file.u32(8);
    const header = JSON.parse(utf8(file.read(12, headerLength))) as PackHeader;
    if (!header || header.total !== size || !Array.isArray(header.parts)) throw new PackError('pack header does not match the file');
    if (!accept(header.key)) return undefined;
    keep = true;
    return header.parts.map((h) => new PackPart(file, h, patchInfo ? patchInfo(h.info) : h.info));
  } finally {
    if (!keep) closeSync(fd);
  }
}
