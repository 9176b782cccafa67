// Diagnose as a library: stream one or more inputs through the scanner and build the report. The
// CLI (src/commands/diagnose.ts) adds reading errors, progress and rendering around it.

import type { Catalog } from '../catalog/load.js';
import { detectEncoding, READ_CHUNK, SNIFF_BYTES, toUtf8, type FileReader, type InputEncoding } from './input.js';
import { buildReport, type DiagnoseReport, type InputSpan } from './report.js';
import { Scanner, linesOf, mergeParts, prefixShapes, type ScanPart } from './scanner.js';

export interface DiagnoseSource {
  /** Shown in messages and in summary.inputs: a path, "-" for standard input. */
  name: string;
  open(): AsyncIterable<Uint8Array>;
  /**
   * The same input as blocking reads (a file), used instead of open() when given: UTF-8 input is
   * then read straight into the scanner's buffer, sparing a copy of every chunk.
   */
  reader?(): FileReader;
}

export interface DiagnoseHooks {
  /** Called after each chunk with the bytes read so far and the errors counted so far. */
  onProgress?(bytes: number, errors: number, input: string): void;
  /** An input could not be read (or stopped being readable); the others are still read. */
  onReadError?(name: string, error: unknown): void;
  onEncoding?(name: string, encoding: InputEncoding): void;
}

export interface DiagnoseOutcome {
  report: DiagnoseReport;
  /** Names of the inputs that could not be read. */
  unreadable: string[];
}

const shapes = new WeakMap<Catalog, Map<string, number[]>>();
function shapesOf(catalog: Catalog): Map<string, number[]> {
  let s = shapes.get(catalog);
  // The code list, not the entries: a 50,000-code user catalog is not parsed to learn its prefixes.
  if (!s) shapes.set(catalog, (s = prefixShapes(catalog.codes)));
  return s;
}

/** Scan one input into `out` (also when reading fails part-way: what was read still counts). */
async function scanSource(src: DiagnoseSource, prefixes: Map<string, number[]>, hooks: DiagnoseHooks, out: ScanPart[]): Promise<void> {
  const scanner = new Scanner({ prefixes });
  try {
    const reader = src.reader?.();
    const chunks = reader ? readStraight(reader, scanner, src.name, hooks) : src.open();
    for await (const chunk of toUtf8(chunks, (e) => hooks.onEncoding?.(src.name, e))) {
      scanner.push(chunk);
      hooks.onProgress?.(scanner.bytes, scanner.errorsSoFar, src.name);
    }
  } finally {
    out.push(scanner.finish());
  }
}

/**
 * A file read with blocking reads. Its first chunk decides the encoding: UTF-8 (the rule) is read
 * straight into the scanner from then on, and this yields only that first chunk (toUtf8 strips a
 * BOM from it, and has pushed it by the time it asks for more). Anything else (UTF-16, or a first
 * read too short for toUtf8 to decide on) is yielded chunk by chunk, as open() would.
 */
async function* readStraight(reader: FileReader, scanner: Scanner, name: string, hooks: DiagnoseHooks): AsyncGenerator<Uint8Array> {
  try {
    const first = Buffer.allocUnsafe(READ_CHUNK);
    const n = reader.read(first);
    if (n <= 0) return;
    const straight = n >= SNIFF_BYTES && detectEncoding(first.subarray(0, n)).encoding === 'utf-8';
    yield first.subarray(0, n);
    if (straight) {
      for (;;) {
        const room = scanner.reserve(READ_CHUNK);
        const got = reader.read(room);
        if (got <= 0) return;
        scanner.commit(got);
        hooks.onProgress?.(scanner.bytes, scanner.errorsSoFar, name);
      }
    }
    for (;;) {
      const got = reader.read(first);
      if (got <= 0) return;
      yield first.subarray(0, got);
    }
  } finally {
    reader.close();
  }
}

export async function diagnoseSources(catalog: Catalog, sources: readonly DiagnoseSource[], hooks: DiagnoseHooks = {}): Promise<DiagnoseOutcome> {
  const prefixes = shapesOf(catalog);
  const parts: ScanPart[] = [];
  const spans: InputSpan[] = [];
  const unreadable: string[] = [];
  let line = 0;
  for (const src of sources) {
    const before = parts.length;
    try {
      await scanSource(src, prefixes, hooks, parts);
    } catch (e) {
      unreadable.push(src.name);
      hooks.onReadError?.(src.name, e);
    }
    const lines = parts.length > before ? linesOf(parts[parts.length - 1]!) : 0;
    spans.push({ name: src.name, firstLine: line + 1, lastLine: line + lines });
    line += lines;
  }
  return { report: buildReport(catalog, mergeParts(parts), spans), unreadable };
}

/** Diagnose a text held in memory (a pasted response). */
export async function diagnoseText(catalog: Catalog, text: string, name = '(argument)'): Promise<DiagnoseReport> {
  const bytes = Buffer.from(text, 'utf8');
  const { report } = await diagnoseSources(catalog, [
    {
      name,
      open: async function* () {
        yield bytes;
      },
    },
  ]);
  return report;
}

export type { DiagnoseReport, DiagnosedResult, DiagnosedNotFound, SummaryRow, DiagnoseSummary } from './report.js';
