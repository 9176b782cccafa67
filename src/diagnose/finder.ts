// Loads the literal finder (finder.wat): one pass over a range of bytes that finds every needle
// and counts newlines, for the scanner's pieces past the start of a large input. Optional: where
// WebAssembly cannot run (node --jitless) createFinder returns undefined and the scanner searches
// with indexOf, finding the same.

import { FINDER_WASM } from './finder-wasm.js';

/** Needles a finder takes, and their lengths. */
export const MAX_FINDER_NEEDLES = 64;
const MIN_NEEDLE = 2;
const MAX_NEEDLE = 16;

export interface Finder {
  /** The bytes find reads: the caller keeps its input here (the module's memory, no copy). */
  readonly data: Buffer;
  /** Most positions one find may cover (one hit per position at most). */
  readonly maxRange: number;
  /** Set the needles: latin1 strings of 2 to 16 bytes; where two match at one position, the first is its hit. */
  setNeedles(needles: readonly string[]): void;
  /**
   * Every hit in data[start, end), reading no byte of a needle at or past data[limit]; returns the
   * count. Hit h is at hitPosition(h) (an index into data), of needle hitNeedle(h), with
   * hitNewlines(h) newlines between start and it; `newlines` is the count for the whole range.
   */
  find(start: number, end: number, limit: number): number;
  hitPosition(h: number): number;
  hitNeedle(h: number): number;
  hitNewlines(h: number): number;
  readonly newlines: number;
}

/** The little of the WebAssembly API used here (tsconfig has no DOM library to declare it). */
interface WasmGlobal {
  readonly value: number;
}
interface FinderExports {
  memory: { readonly buffer: ArrayBuffer };
  nibbleTables: WasmGlobal;
  needleBytes: WasmGlobal;
  needleLength: WasmGlobal;
  hits: WasmGlobal;
  maxHits: WasmGlobal;
  data: WasmGlobal;
  newlines: WasmGlobal;
  find(start: number, end: number, limit: number, count: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** Whether needles can be given to a finder (each 2-16 bytes, one byte per character, at most 16). */
export function finderTakes(needles: readonly string[]): boolean {
  return needles.length <= MAX_FINDER_NEEDLES && needles.every((n) => n.length >= MIN_NEEDLE && n.length <= MAX_NEEDLE && /^[\x01-\xff]*$/.test(n));
}

let compiled: object | undefined;

/** A finder whose data holds at least `capacity` bytes, or undefined where WebAssembly is not available. */
export function createFinder(capacity: number): Finder | undefined {
  let x: FinderExports;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return undefined;
    // Compiled once per process: diagnose of many files makes a finder per file.
    compiled ??= new wasm.Module(Buffer.from(FINDER_WASM, 'base64'));
    x = new wasm.Instance(compiled).exports as FinderExports;
  } catch {
    return undefined;
  }
  const buffer = x.memory.buffer;
  const dataAt = x.data.value;
  // A block reads 18 bytes from its start (its first three bytes at each position): the last block
  // of a range that ends with the data reads 17 bytes past it. 32 bytes of slack after the data.
  const dataLength = buffer.byteLength - dataAt - 32;
  if (dataLength < capacity) return undefined;
  const mem = new Uint8Array(buffer);
  const words = new Int32Array(buffer);
  const hitsAt = x.hits.value >> 2;
  const maxRange = x.maxHits.value;
  const [tables, bytes, lengths] = [x.nibbleTables, x.needleBytes, x.needleLength].map((g) => g.value) as [number, number, number];
  let count = 0;
  return {
    data: Buffer.from(buffer, dataAt, dataLength),
    maxRange,
    setNeedles(needles) {
      if (!finderTakes(needles)) throw new RangeError('needles a finder cannot take');
      count = needles.length;
      // The nibble tables: needle k sets its bucket bit (k mod 8) under each nibble of its first three
      // bytes (a two-byte needle, under every nibble of the third). Needles sharing a bucket only
      // add candidates, which are checked whole.
      mem.fill(0, tables, tables + 96);
      needles.forEach((n, k) => {
        const bucket = 1 << (k & 7);
        const set = (table: number, nibble: number) => (mem[tables + table + nibble] = mem[tables + table + nibble]! | bucket);
        for (let i = 0; i < 3; i++) {
          if (i < n.length) {
            set(32 * i, n.charCodeAt(i) & 15);
            set(32 * i + 16, n.charCodeAt(i) >> 4);
          } else {
            for (let nibble = 0; nibble < 16; nibble++) {
              set(32 * i, nibble);
              set(32 * i + 16, nibble);
            }
          }
        }
        for (let i = 0; i < n.length; i++) mem[bytes + 16 * k + i] = n.charCodeAt(i);
        words[(lengths >> 2) + k] = n.length;
      });
    },
    find(start, end, limit) {
      if (!(start >= 0 && start <= end && end <= limit && limit <= dataLength && end - start <= maxRange)) throw new RangeError('find: range out of bounds');
      return x.find(dataAt + start, dataAt + end, dataAt + limit, count);
    },
    hitPosition: (h) => (words[hitsAt + 2 * h]! >>> 6) - dataAt,
    hitNeedle: (h) => words[hitsAt + 2 * h]! & 63,
    hitNewlines: (h) => words[hitsAt + 2 * h + 1]!,
    get newlines() {
      return x.newlines.value;
    },
  };
}
