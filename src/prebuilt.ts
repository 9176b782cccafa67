// Indexes the build writes beside the bundle for the bundled catalog: the text grep-style search
// reads (dist/search-index.bin, see encodeSearchIndex in search.ts) and the free-text index
// (dist/freetext-index.bin, see encodeFreeTextIndex in fuzzy.ts). They spare a run the per-field
// analysis that would otherwise dominate its start-up. Running from source there are none, and
// search.ts / fuzzy.ts build them at run time, as they do with user catalogs.
//
// Both are "section files": a magic line, a JSON header, then sections of bytes that a run uses in
// place. Their long texts are such sections, as UTF-8, searched as bytes: decoding ~100 KB of text
// with Chinese in it into a string cost a run ~1 ms (V8 decodes non-ASCII UTF-8 at ~100 MB/s here,
// and the two-byte string it makes is that many more pages of fresh memory).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAsciiAt, readWhole, u32le, utf8 } from './bytes.js';

export const SEARCH_INDEX_FILE = 'search-index.bin';
export const FREE_TEXT_INDEX_FILE = 'freetext-index.bin';

/** Set by the build (scripts/build.mjs) in the bundles; undefined when running from source. */
declare const __GES_ERR_PRECOMPILED__: boolean | undefined;

/** true in the CommonJS bundle (scripts/build.mjs); undefined when running from source. */
declare const __GES_ERR_CJS__: boolean | undefined;

function here(): string {
  // As in catalog/bundled.ts: __dirname in the CommonJS bundle, import.meta.url in ESM.
  return typeof __GES_ERR_CJS__ !== 'undefined' && __GES_ERR_CJS__ ? __dirname : path.dirname(fileURLToPath(import.meta.url));
}

/**
 * A file the build writes beside the bundle (dist/NAME). Joined by hand: the first path.join of a
 * process costs ~0.15 ms (Node compiles its path helpers on first use), and a run needs no other.
 */
export function distFile(name: string): string {
  return here() + path.sep + name;
}

/** True in the bundles the build makes, where the files it writes beside them exist; false from source. */
export function isPrecompiled(): boolean {
  return typeof __GES_ERR_PRECOMPILED__ !== 'undefined' && __GES_ERR_PRECOMPILED__;
}

/**
 * A prebuilt index, read by `decode` from its file's bytes, or undefined: from source, or when the
 * file cannot be read or decoded (the index is then rebuilt; each user checks that it was built from
 * the catalog in use before trusting it).
 */
export function readPrebuilt<T>(file: typeof SEARCH_INDEX_FILE | typeof FREE_TEXT_INDEX_FILE, decode: (bytes: Buffer) => T | undefined): T | undefined {
  if (!isPrecompiled()) return undefined;
  let bytes: Buffer;
  try {
    bytes = readWhole(distFile(file));
  } catch {
    return undefined;
  }
  return decode(bytes);
}

// A section file: `magic` (a line of ASCII naming the format and its version), the header's length
// (u32 LE), the header (UTF-8 JSON, with the sections' lengths under "sections"), then the sections.

/** The bytes of a section file. */
export function writeSections(magic: string, header: object, sections: readonly Uint8Array[]): Buffer {
  const json = Buffer.from(JSON.stringify({ ...header, sections: sections.map((s) => s.length) }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from(magic, 'latin1'), length, json, ...sections]);
}

/**
 * A section file's header and sections (views of `bytes`, not copies), or undefined when the bytes
 * are not such a file with this magic, or do not add up.
 */
export function readSections(bytes: Uint8Array, magic: string): { header: Record<string, unknown>; sections: Buffer[] } | undefined {
  const buf = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const at = magic.length + 4;
  if (buf.length < at || !isAsciiAt(buf, magic)) return undefined;
  let end = at + u32le(buf, magic.length);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(utf8(buf, at, end)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const lengths = header?.sections;
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isInteger(n) && n >= 0)) return undefined;
  const sections: Buffer[] = [];
  for (const n of lengths as number[]) sections.push(buf.subarray(end, (end += n)));
  return end === buf.length ? { header, sections } : undefined;
}
