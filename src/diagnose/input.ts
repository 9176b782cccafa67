// Turns raw input bytes into UTF-8 bytes for the scanner: strips a UTF-8 BOM and transcodes
// UTF-16 (LE/BE, with a BOM or recognisably without one, as PowerShell writes it). UTF-8 input is
// passed through untouched: the scanner works on bytes and decodes only the text it reports.

import { TextDecoder } from 'node:util';

export type InputEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Bytes per read of a file or pipe: the kernel copies into a buffer that stays in the CPU cache.
 * Reading a 300 MB log took 28-44 ms in 128 KiB reads, 118-185 ms in 256 KiB or 1 MiB ones.
 */
export const READ_CHUNK = 128 * 1024;

/** Blocking reads of an open file: read fills `into` from its start and returns the bytes read, 0 at the end. */
export interface FileReader {
  read(into: Uint8Array): number;
  close(): void;
}

/** Bytes needed to decide the encoding (a BOM, or enough UTF-16 pairs to recognise it). */
export const SNIFF_BYTES = 64;

/** UTF-16 without a BOM: ASCII text leaves every other byte zero. */
function sniffUtf16(b: Uint8Array): InputEncoding | undefined {
  const n = Math.min(b.length, SNIFF_BYTES) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZero++;
    if (b[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.9 && evenZero === 0) return 'utf-16le';
  if (evenZero >= pairs * 0.9 && oddZero === 0) return 'utf-16be';
  return undefined;
}

export function detectEncoding(head: Uint8Array): { encoding: InputEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: sniffUtf16(head) ?? 'utf-8', bomLength: 0 };
}

function swapPairs(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1]!;
    out[i + 1] = b[i]!;
  }
  return out;
}

/**
 * Normalise a byte stream to UTF-8 chunks. Reports the encoding it found through `onEncoding`.
 * A UTF-16 code unit or surrogate pair split across chunks is carried over by the stream decoder.
 */
export async function* toUtf8(source: AsyncIterable<Uint8Array>, onEncoding?: (e: InputEncoding) => void): AsyncGenerator<Uint8Array> {
  let head: Uint8Array | undefined = new Uint8Array(0);
  let decoder: TextDecoder | undefined;
  let swap = false;
  let odd: number | undefined;
  const transcode = (chunk: Uint8Array, final: boolean): Uint8Array => {
    if (!decoder) return chunk;
    let c = chunk;
    if (swap) {
      // Swap byte pairs ourselves: 'utf-16be' support in TextDecoder depends on Node's ICU build.
      if (odd !== undefined) c = concat(Uint8Array.of(odd), c);
      odd = c.length % 2 ? c[c.length - 1] : undefined;
      c = swapPairs(odd === undefined ? c : c.subarray(0, c.length - 1));
    }
    return Buffer.from(decoder.decode(c, { stream: !final }), 'utf8');
  };
  for await (const chunk of source) {
    if (head !== undefined) {
      head = concat(head, chunk);
      if (head.length < SNIFF_BYTES) continue;
      const first = start(head);
      head = undefined;
      if (first.length) yield transcode(first, false);
      continue;
    }
    const out = transcode(chunk, false);
    if (out.length) yield out;
  }
  if (head !== undefined) {
    const first = start(head);
    if (first.length || decoder) {
      const out = transcode(first, true);
      if (out.length) yield out;
    }
    return;
  }
  if (decoder) {
    const rest = transcode(new Uint8Array(0), true);
    if (rest.length) yield rest;
  }

  function start(h: Uint8Array): Uint8Array {
    const { encoding, bomLength } = detectEncoding(h);
    onEncoding?.(encoding);
    if (encoding !== 'utf-8') {
      decoder = new TextDecoder('utf-16le');
      swap = encoding === 'utf-16be';
    }
    return h.subarray(bomLength);
  }
}

/** Always a copy: input chunks may be reused by their producer. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
