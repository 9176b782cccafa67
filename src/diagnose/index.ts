// Diagnose as a library: stream one or more inputs through the scanner and build the report. The
// CLI (src/commands/diagnose.ts) adds reading errors, progress and rendering around it.

import type { Catalog } from '../catalog/load.js';
import { detectEncoding, toUtf8, type InputEncoding } from './input.js';
import { scanFileInParallel, type ParallelFiles } from './parallel.js';
import { buildReport, type DiagnoseReport, type InputSpan } from './report.js';
import { Scanner, mergeParts, prefixShapes, type ScanPart } from './scanner.js';

export interface DiagnoseSource {
  /** Shown in messages and in summary.inputs: a path, "-" for standard input. */
  name: string;
  open(): AsyncIterable<Uint8Array>;
  /** A file path, when the source is a named file (big ones may be split across threads). */
  path?: string;
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
  if (!s) shapes.set(catalog, (s = prefixShapes(catalog.entries.map((e) => e.code))));
  return s;
}

/** Only plain UTF-8 (no BOM) is split by bytes; anything else is decoded in one pass. */
function splittable(par: ParallelFiles, path: string): boolean {
  const head: Buffer[] = [];
  for (const c of par.readRange(path, 0, 64)) head.push(Buffer.from(c));
  const { encoding, bomLength } = detectEncoding(Buffer.concat(head));
  return encoding === 'utf-8' && bomLength === 0;
}

/** Scan one input into `out` (also when reading fails part-way: what was read still counts). */
async function scanSource(src: DiagnoseSource, prefixes: Map<string, number[]>, hooks: DiagnoseHooks, par: ParallelFiles | undefined, out: ScanPart[]): Promise<void> {
  if (src.path !== undefined && par && par.threads > 1 && (par.size(src.path) ?? 0) >= par.minBytes && splittable(par, src.path)) {
    // Progress counts this thread's range; the others advance at about the same pace.
    const parts = await scanFileInParallel(src.path, prefixes, par, (sc) => hooks.onProgress?.(sc.bytes * par.threads, sc.errorsSoFar * par.threads, src.name));
    if (parts) {
      out.push(...parts);
      return;
    }
  }
  const scanner = new Scanner({ prefixes });
  try {
    for await (const chunk of toUtf8(src.open(), (e) => hooks.onEncoding?.(src.name, e))) {
      scanner.push(chunk);
      hooks.onProgress?.(scanner.bytes, scanner.errorsSoFar, src.name);
    }
  } finally {
    out.push(scanner.finish());
  }
}

export async function diagnoseSources(catalog: Catalog, sources: readonly DiagnoseSource[], hooks: DiagnoseHooks = {}, par?: ParallelFiles): Promise<DiagnoseOutcome> {
  const prefixes = shapesOf(catalog);
  const parts: { part: ScanPart; newInput: boolean }[] = [];
  const spans: InputSpan[] = [];
  const unreadable: string[] = [];
  let line = 0;
  for (const src of sources) {
    const mine: ScanPart[] = [];
    try {
      await scanSource(src, prefixes, hooks, par, mine);
    } catch (e) {
      unreadable.push(src.name);
      hooks.onReadError?.(src.name, e);
    }
    mine.forEach((part, k) => parts.push({ part, newInput: k === 0 }));
    const last = mine[mine.length - 1];
    const lines = mine.reduce((n, p) => n + p.newlines, 0) + (last && last.bytes > 0 && last.lastByte !== 10 ? 1 : 0);
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
