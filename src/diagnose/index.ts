// Diagnose as a library: stream one or more inputs through the scanner and build the report. The
// CLI (src/commands/diagnose.ts) adds reading errors, progress and rendering around it.

import type { Catalog } from '../catalog/load.js';
import { toUtf8, type InputEncoding } from './input.js';
import { buildReport, type DiagnoseReport, type InputSpan } from './report.js';
import { Scanner, linesOf, mergeParts, prefixShapes, type ScanPart } from './scanner.js';
import { joinRanges, planSplit, scanRange, splittableSize, type RangeHelpers } from './split.js';

export interface DiagnoseSource {
  /** Shown in messages and in summary.inputs: a path, "-" for standard input. */
  name: string;
  open(): AsyncIterable<Uint8Array>;
  /**
   * The file open() reads, when it is one that may also be read by path: with `hooks.helpers`, a
   * big regular file is then scanned in ranges on several threads (see split.ts).
   */
  path?: string;
}

export interface DiagnoseHooks {
  /** Called after each chunk with the bytes read so far and the errors counted so far. */
  onProgress?(bytes: number, errors: number, input: string): void;
  /** An input could not be read (or stopped being readable); the others are still read. */
  onReadError?(name: string, error: unknown): void;
  onEncoding?(name: string, encoding: InputEncoding): void;
  /**
   * Threads that may scan ranges of big files (sources with a path), asked for only when a file is
   * big enough to split; without them one thread reads everything.
   */
  helpers?(): Promise<RangeHelpers | undefined>;
  /**
   * A file was cut into `ranges` for helpers: `joined`, their parts made the result; otherwise (a
   * helper failed, or the parts could not be joined exactly) the file was then scanned whole.
   */
  onSplit?(name: string, ranges: number, joined: boolean): void;
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

/**
 * Scan a big file in ranges, the first here and the others on helper threads, into `out`. False
 * (and nothing added) when the file is not split or the parts cannot be joined exactly: then it is
 * scanned whole.
 */
async function scanSplit(src: DiagnoseSource, prefixes: Map<string, number[]>, hooks: DiagnoseHooks, out: ScanPart[]): Promise<boolean> {
  if (!hooks.helpers || src.path === undefined) return false;
  let ranges = 0;
  try {
    const size = splittableSize(src.path);
    const helpers = size === undefined ? undefined : await hooks.helpers();
    const jobs = helpers && planSplit(src.path, size!, helpers.count, prefixes);
    if (!jobs) return false;
    ranges = jobs.length;
    const elsewhere = jobs.slice(1).map((job) => helpers.scan(job));
    // Rejections are handled below, after this thread's range; until then they must not go unhandled.
    for (const p of elsewhere) p.catch(() => {});
    hooks.onEncoding?.(src.name, 'utf-8');
    const first = scanRange(jobs[0]!, (bytes, errors) => hooks.onProgress?.(bytes, errors, src.name));
    const joined = joinRanges([first, ...(await Promise.all(elsewhere))]);
    hooks.onSplit?.(src.name, ranges, joined !== undefined);
    if (!joined) return false;
    hooks.onProgress?.(joined.bytes, joined.codes.reduce((n, c) => n + c.count, 0), src.name);
    out.push(joined);
    return true;
  } catch {
    // A helper failed, or the file changed under the split: read it the ordinary way, which reports
    // a real reading error as such.
    if (ranges > 0) hooks.onSplit?.(src.name, ranges, false);
    return false;
  }
}

/** Scan one input into `out` (also when reading fails part-way: what was read still counts). */
async function scanSource(src: DiagnoseSource, prefixes: Map<string, number[]>, hooks: DiagnoseHooks, out: ScanPart[]): Promise<void> {
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

export async function diagnoseSources(catalog: Catalog, sources: readonly DiagnoseSource[], hooks: DiagnoseHooks = {}): Promise<DiagnoseOutcome> {
  const prefixes = shapesOf(catalog);
  const parts: ScanPart[] = [];
  const spans: InputSpan[] = [];
  const unreadable: string[] = [];
  let line = 0;
  for (const src of sources) {
    const before = parts.length;
    try {
      if (!(await scanSplit(src, prefixes, hooks, parts))) await scanSource(src, prefixes, hooks, parts);
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
