// Reading bytes at start-up without waking more of Node than a run needs. Node compiles each of its
// own JavaScript functions on the first call of a process (~30-100k instructions each, ~0.02-0.05
// ms); a lookup or a search of the bundled catalog calls a few dozen of them, and each one avoided is
// time saved on every run. The bundles' own code, by contrast, comes compiled from V8's code cache.
// So these helpers stay on the few Node functions a run calls anyway (openSync, fstatSync, readSync,
// closeSync, Buffer.allocUnsafe, subarray, indexOf, toString) and do the rest themselves:
//
// - utf8(): Buffer#toString with no encoding named is UTF-8 and skips Node's encoding lookup
//   (getEncodingOps and the encoding's slice function, two more first calls);
// - readWhole(): fs.readFileSync without an encoding goes through three helpers of its own;
// - isAsciiAt() and u32le(): compared and read here instead of through toString('latin1') and
//   readUInt32LE, each a first call for a few bytes;
// - readAt(): fs.readvSync rather than fs.readSync, whose five argument checks each go through a
//   wrapper that copies its arguments: ~500 bytes of garbage a call against ~250. A search of a
//   large user catalog reads some two hundred times, and what it allocates decides how many times
//   the young generation is collected (~1 ms each).

import { closeSync, fstatSync, openSync, readvSync } from 'node:fs';

/** The UTF-8 text of bytes [start, end) of `buf` (Buffer#toString; the default encoding is UTF-8). */
export function utf8(buf: Buffer, start?: number, end?: number): string {
  return buf.toString(undefined, start, end);
}

/** True when `bytes` hold the ASCII string `s` at `at`. */
export function isAsciiAt(bytes: Uint8Array, s: string, at = 0): boolean {
  if (at < 0 || at + s.length > bytes.length) return false;
  for (let i = 0; i < s.length; i++) if (bytes[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** The little-endian u32 at `at` (which must be in bounds). */
export function u32le(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
}

/**
 * Fill `buf` with the bytes of file `fd` from position `pos`; the count read, less than buf.length
 * only at the end of the file.
 */
export function readAt(fd: number, buf: Uint8Array, pos: number): number {
  if (buf.length === 0) return 0;
  let got = readvSync(fd, [buf], pos);
  // One call reads a regular file whole; a short count is its end, unless a signal cut the read.
  while (got > 0 && got < buf.length) {
    const n = readvSync(fd, [buf.subarray(got)], pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** A whole file's bytes. Throws as fs.readFileSync does (ENOENT, EISDIR, ...). */
export function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(size);
    const got = readAt(fd, buf, 0);
    return got < size ? buf.subarray(0, got) : buf; // the file shrank while being read
  } finally {
    closeSync(fd);
  }
}
