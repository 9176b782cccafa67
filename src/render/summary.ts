// The log summary diagnose prints before its explanations: one row per distinct code, most
// frequent first, with count, first/last line, a bar scaled to the largest count, and what the code
// is (its family, another service's, or not in the catalog).

import Table from 'cli-table3';
import type { Format } from '../cli/spec.js';
import type { DiagnoseSummary, SummaryRow } from '../diagnose/report.js';
import { sanitize } from './sanitize.js';
import type { LangChoice } from './sections.js';
import type { Style } from './style.js';
import { displayWidth } from './width.js';

export interface SummaryRenderOptions {
  format: Exclude<Format, 'json' | 'tsv'>;
  lang: LangChoice;
  style: Style;
  columns: number;
}

const BAR_WIDTH = 20;
/** Rows shown in a human format; a log with thousands of distinct codes gets the most frequent (--json has all). */
export const MAX_SUMMARY_ROWS = 100;

/** A bar of 1..width cells for count out of max. */
export function bar(count: number, max: number, width = BAR_WIDTH, cell = '█'): string {
  if (max <= 0 || count <= 0) return '';
  return cell.repeat(Math.max(1, Math.round((count / max) * width)));
}

/**
 * 1234567 -> "1,234,567". Not toLocaleString: its first call loads ICU's number formatting, 16-24 ms,
 * a tenth of a diagnose of a 30 MB log.
 */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+$)/g, ',');
}

const fmt = groupDigits;

function what(r: SummaryRow, lang: LangChoice): string {
  if (r.kind === 'other-service') return lang === 'zh' ? '其他服务的错误码' : lang === 'en' ? 'another service' : 'another service / 其他服务';
  if (r.kind === 'not-in-catalog') return lang === 'zh' ? '不在目录中' : lang === 'en' ? 'not in catalog' : 'not in catalog / 不在目录中';
  const f = r.family!;
  return lang === 'zh' ? f.zh : f.en;
}

/** "file:line" when several inputs were read, else the line number. */
export function locator(summary: DiagnoseSummary): (line: number) => string {
  if (summary.inputs.length < 2) return (line) => String(line);
  return (line) => {
    const span = summary.inputs.find((s) => line >= s.firstLine && line <= s.lastLine);
    return span ? `${sanitize(span.name)}:${line - span.firstLine + 1}` : String(line);
  };
}

export function summaryHeadline(summary: DiagnoseSummary, lang: LangChoice = 'en'): string {
  if (lang === 'zh') {
    const inputs = summary.inputs.length > 1 ? `（${summary.inputs.length} 个输入）` : '';
    return `共 ${fmt(summary.total)} 个错误，${fmt(summary.distinct)} 个不同的错误码，${fmt(summary.lines)} 行${inputs}`;
  }
  const errors = summary.total === 1 ? '1 error' : `${fmt(summary.total)} errors`;
  const codes = summary.distinct === 1 ? '1 distinct code' : `${fmt(summary.distinct)} distinct codes`;
  const lines = summary.lines === 1 ? '1 line' : `${fmt(summary.lines)} lines`;
  const inputs = summary.inputs.length > 1 ? ` of ${summary.inputs.length} inputs` : '';
  return `${errors}, ${codes}, in ${lines}${inputs}`;
}

export function renderSummary(allRows: readonly SummaryRow[], summary: DiagnoseSummary, o: SummaryRenderOptions): string {
  const rows = allRows.slice(0, MAX_SUMMARY_ROWS);
  const hidden = allRows.length - rows.length;
  const more = hidden > 0 ? (o.lang === 'zh' ? `另有 ${fmt(hidden)} 个错误码（--json 列出全部）` : `${fmt(hidden)} more codes (all are listed in --json)`) : '';
  const max = Math.max(0, ...rows.map((r) => r.count));
  const at = locator(summary);
  const head = o.lang === 'zh' ? ['错误码', '次数', '首行', '末行', '', '类别'] : ['Code', 'Count', 'First', 'Last', '', 'Kind'];
  const cells = rows.map((r) => [sanitize(r.code), fmt(r.count), at(r.firstLine), at(r.lastLine), '', what(r, o.lang)]);
  // The bar takes what the terminal width leaves (table borders and padding: 3 columns per cell, plus 1).
  const others = [0, 1, 2, 3, 5].reduce((n, k) => n + Math.max(displayWidth(head[k]!), ...cells.map((c) => displayWidth(c[k]!))), 0);
  const barWidth = Math.max(4, Math.min(BAR_WIDTH, o.columns - others - (o.format === 'table' ? 19 : 10)));
  const body = cells.map((c, k) => c.map((x, i) => (i === 4 ? bar(rows[k]!.count, max, barWidth, o.format === 'plain' ? '#' : '█') : x)));
  const headline = summaryHeadline(summary, o.lang);
  if (o.format === 'md') {
    const esc = (s: string) => s.replace(/([\\`*_|<>[\]])/g, '\\$1');
    return [`**${esc(headline)}**`, '', `| ${head.slice(0, 4).join(' | ')} | | ${head[5]} |`, '|---|--:|--:|--:|---|---|', ...body.map((c) => `| ${c.map(esc).join(' | ')} |`), ...(more ? ['', esc(more)] : []), ''].join('\n') + '\n';
  }
  if (o.format === 'table') {
    const table = new Table({
      head: head.map((h) => o.style.label(h)),
      // No rule between rows: a compact list, like the plain layout.
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      style: { head: [], border: o.style.border, 'padding-left': 1, 'padding-right': 1 },
      colAligns: ['left', 'right', 'right', 'right', 'left', 'left'],
      wordWrap: false,
    });
    for (const c of body) table.push([o.style.code(c[0]!), c[1]!, c[2]!, c[3]!, o.style.dim(c[4]!), c[5]!]);
    return `${headline}\n${table.toString()}\n${more ? `${more}\n` : ''}\n`;
  }
  // plain: aligned columns, no borders; easy to grep and to read.
  const widths = head.map((h, k) => Math.max(displayWidth(h), ...body.map((c) => displayWidth(c[k]!))));
  const line = (cells: string[], style = (k: number, s: string) => s) =>
    cells
      .map((c, k) => {
        const padding = ' '.repeat(widths[k]! - displayWidth(c));
        return style(k, k >= 1 && k <= 3 ? padding + c : k === cells.length - 1 ? c : c + padding);
      })
      .join('  ')
      .trimEnd();
  return [headline, line(head, (_, s) => o.style.label(s)), ...body.map((c) => line(c, (k, s) => (k === 0 ? o.style.code(s) : s))), ...(more ? [more] : [])].join('\n') + '\n\n';
}
