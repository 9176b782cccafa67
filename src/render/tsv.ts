// Tab-separated values: a header row, then one line per result; tabs and newlines inside values
// become spaces, so cut and awk see exactly one record per line.

import type { AnyResult } from './sections.js';
import { sanitize } from './sanitize.js';

export const TSV_COLUMNS = [
  'code',
  'httpStatus',
  'family',
  'retryable',
  'message_en',
  'message_zh',
  'remediation_en',
  'remediation_zh',
  'observed_httpStatus',
  'observed_requestId',
  'observed_message',
  'count',
  'docUrl',
] as const;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return sanitize(String(v)).replace(/\\n/g, ' ').replace(/\s+/g, ' ').trim();
}

export function renderTsv(results: readonly AnyResult[]): string {
  const rows = results.map((r) =>
    [
      r.code,
      r.httpStatus,
      r.family,
      r.retryable,
      r.message.en,
      r.message.zh,
      r.remediation.en.map((s, i) => `${i + 1}. ${s}`).join(' '),
      r.remediation.zh.map((s, i) => `${i + 1}. ${s}`).join(' '),
      r.observed?.httpStatus,
      r.observed?.requestId,
      r.observed?.message,
      r.count,
      r.docUrl,
    ]
      .map(cell)
      .join('\t'),
  );
  return [TSV_COLUMNS.join('\t'), ...rows].join('\n') + '\n';
}
