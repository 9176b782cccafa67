// Diagnose as a library: stream one or more inputs through the scanner and build the report. The
// CLI (src/commands/diagnose.ts) adds reading errors, progress and rendering around it.

import type { Catalog } from '../catalog/load.js';
import { toUtf8, type InputEncoding } from './input.js';
import { buildReport, type DiagnoseReport, type InputSpan } from './report.js';
import { Scanner, linesOf, mergeParts, prefixShapes, type ScanPart } from './scanner.js';

export interface DiagnoseSource {
  /** Shown in messages and in summary.inputs: a path, "-" for standard input. */
  name: string;
  open(): AsyncIterable<Uint8Array>;
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
