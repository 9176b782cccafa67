// From what the scanner found to what diagnose reports: each distinct code explained from the
// catalog (with the variant the observation points to), or named as another service's code or as
// not in the catalog; sorted by count; plus the totals. Pure: no I/O.

import { findByCode, type Catalog } from '../catalog/load.js';
import { parseCode } from '../code.js';
import { notFoundFor, type NotFound } from '../explain.js';
import type { Observed, ResultExtras } from '../render/sections.js';
import { explainEntry, type ExplainedResult } from '../result.js';
import type { ScanHints, ScanResult } from './scanner.js';
import { variantOrder } from './variant.js';

/** What diagnose adds to every reported code. */
export interface Sighting {
  count: number;
  observed: Observed;
  lines: number[];
  firstLine: number;
  lastLine: number;
}

export type DiagnosedResult = ExplainedResult & Required<Pick<ResultExtras, 'count' | 'observed' | 'lines' | 'firstLine' | 'lastLine'>>;
export type DiagnosedNotFound = NotFound & Sighting;

/** One row of the log summary. */
export interface SummaryRow extends Sighting {
  code: string;
  /** explained: in the catalog; other-service / not-in-catalog as in NotFound.reason. */
  kind: 'explained' | NotFound['reason'];
  family: { en: string; zh: string } | null;
  retryable: boolean | null;
}

export interface InputSpan {
  name: string;
  firstLine: number;
  lastLine: number;
}

export interface DiagnoseSummary {
  /** Distinct codes found (explained or not). */
  distinct: number;
  /** Occurrences of all codes. */
  total: number;
  /** Lines read. */
  lines: number;
  bytes: number;
  /** Occurrences of codes beyond the distinct-code limit, not reported individually. */
  untracked: number;
  /** Where each input's lines are in the line numbering (inputs are numbered as if concatenated). */
  inputs: InputSpan[];
}

export interface DiagnoseReport {
  results: DiagnosedResult[];
  notFound: DiagnosedNotFound[];
  /** Every distinct code, most frequent first: the log summary. */
  rows: SummaryRow[];
  summary: DiagnoseSummary;
  empty: boolean;
  hints: ScanHints;
}

/** Codes not in the catalog that get "did you mean" suggestions: as many as the notices on stderr show (a distance computation per catalog entry each). */
const MAX_SUGGESTED = 20;

function byFrequency(a: { count: number; firstLine: number }, b: { count: number; firstLine: number }): number {
  return b.count - a.count || a.firstLine - b.firstLine;
}

function sighting(st: ScanResult['codes'][number]): Sighting {
  return { count: st.count, observed: { ...st.observed }, lines: [...st.lines], firstLine: st.firstLine, lastLine: st.lastLine };
}

export function buildReport(catalog: Catalog, scan: ScanResult, inputs: InputSpan[]): DiagnoseReport {
  const results: DiagnosedResult[] = [];
  const notFound: DiagnosedNotFound[] = [];
  const rows: SummaryRow[] = [];
  for (const st of [...scan.codes].sort(byFrequency)) {
    const code = parseCode(st.code);
    const seen = sighting(st);
    const entry = code ? findByCode(catalog, code)[0] : undefined;
    if (entry) {
      const r = explainEntry(entry, variantOrder(entry, st.observed));
      results.push({ ...r, ...seen });
      rows.push({ code: r.code, kind: 'explained', family: r.familyName, retryable: r.retryable, ...seen });
      continue;
    }
    // Suggestions cost a distance computation per catalog entry: only for the most frequent codes.
    const nf = code
      ? notFoundFor(catalog, st.code, code, notFound.length < MAX_SUGGESTED)
      : { input: st.code, code: st.code, reason: 'other-service' as const, suggestions: [], hint: null };
    notFound.push({ ...nf, ...seen });
    rows.push({ code: nf.code, kind: nf.reason, family: null, retryable: null, ...seen });
  }
  const total = scan.codes.reduce((n, c) => n + c.count, 0);
  return {
    results,
    notFound,
    rows,
    summary: { distinct: scan.codes.length, total, lines: scan.lines, bytes: scan.bytes, untracked: scan.overflow, inputs },
    empty: scan.empty,
    hints: scan.hints,
  };
}

/** Inputs of at least this many lines read as logs even with a single error in them. */
const LOG_LINES = 100;

/** True when the report reads as a log (a summary table helps) rather than one response. */
export function isLog(report: DiagnoseReport): boolean {
  return report.rows.length > 1 || report.summary.total > 1 || (report.rows.length === 1 && report.summary.lines >= LOG_LINES);
}

/**
 * The --exit-status verdict: 0 when every error found is retryable per the catalog (for the variant
 * the observation picked), 1 when any is not, or is not in the catalog, or when nothing was found.
 */
export function exitStatusVerdict(report: DiagnoseReport): 0 | 1 {
  if (report.rows.length === 0 || report.notFound.length > 0) return 1;
  return report.results.every((r) => r.retryable) ? 0 : 1;
}
