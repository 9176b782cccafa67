// grep-like output for `ges-err search`: one compact line per matching code (code, HTTP status,
// message), then the other lines that matched, labelled by field, with the matches in style.match.
// Every piece of catalog text is sanitized here, after it is cut into highlighted segments.

import type { Lang } from '../catalog/types.js';
import type { FieldMatch, Range, SearchHit } from '../search.js';
import { LABELS, langsOf } from './labels.js';
import { sanitize } from './sanitize.js';
import type { LangChoice } from './sections.js';
import type { Style } from './style.js';
import { charWidth, displayWidth } from './width.js';

const asIs = (s: string): string => s;

/** Sanitized text with its ranges drawn by style.match (and the rest by `rest`). */
export function highlight(text: string, ranges: readonly Range[], style: Style, rest: (s: string) => string = asIs): string {
  if (!style.enabled || ranges.length === 0) return rest(sanitize(text));
  let out = '';
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at || e <= s) continue;
    if (s > at) out += rest(sanitize(text.slice(at, s)));
    out += style.match(sanitize(text.slice(s, e)));
    at = e;
  }
  if (at < text.length) out += rest(sanitize(text.slice(at)));
  return out;
}

export interface Line {
  text: string;
  ranges: Range[];
}

/** The lines of a multi-line field that hold a match, with ranges relative to each line. */
export function matchingLines(text: string, ranges: readonly Range[]): Line[] {
  // Index loops, no destructuring, no split, and arrays made by literals rather than grown by push
  // (an array's first push gives it room for 17): a search renders a hundred hits' lines in code
  // that runs once, where each of those allocates, and what a run allocates decides how often the
  // young generation is collected (~1 ms each).
  let out: Line[] | undefined;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    let mine: Range[] | undefined;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (r[0] < end && r[1] > start) {
        // A range of a one-line text is the line's own: no copy.
        const m: Range = start === 0 && nl < 0 && r[0] >= 0 && r[1] <= end ? r : [Math.max(r[0], start) - start, Math.min(r[1], end) - start];
        if (mine) mine.push(m);
        else mine = [m];
      }
    }
    if (mine) {
      const line = { text: start === 0 && nl < 0 ? text : text.slice(start, end), ranges: mine };
      if (out) out.push(line);
      else out = [line];
    }
    if (nl < 0) return out ?? [];
    start = nl + 1;
  }
}

const ELLIPSIS = '…';

/**
 * Cut a line to `width` columns, keeping the first match in view: "…text around the match…".
 * Ranges are moved to the cut line; those cut off are dropped.
 */
export function clipLine(line: Line, width: number): Line {
  if (displayWidth(line.text) <= width) return line;
  const chars = [...line.text];
  const offsets: number[] = [];
  let o = 0;
  for (const ch of chars) {
    offsets.push(o);
    o += ch.length;
  }
  offsets.push(o);
  const firstIdx = Math.max(0, offsets.findIndex((x) => x >= (line.ranges[0]?.[0] ?? 0)));
  // Start a little before the match so it reads in context.
  let from = firstIdx;
  for (let w = 0; from > 0 && w < Math.floor(width / 4); ) w += charWidth(chars[--from]!);
  let to = from;
  let used = from > 0 ? 1 : 0;
  while (to < chars.length && used + charWidth(chars[to]!) + (to + 1 < chars.length ? 1 : 0) <= width) used += charWidth(chars[to++]!);
  const s = offsets[from]!;
  const e = offsets[to]!;
  const lead = from > 0 ? ELLIPSIS : '';
  const shift = lead.length - s;
  const ranges = line.ranges.filter(([a, b]) => a < e && b > s).map(([a, b]): Range => [Math.max(a, s) + shift, Math.min(b, e) + shift]);
  return { text: lead + line.text.slice(s, e) + (to < chars.length ? ELLIPSIS : ''), ranges };
}

export interface SearchRenderOptions {
  lang: LangChoice;
  style: Style;
  /** Cut long lines to this width (on a terminal); undefined to keep lines whole (pipes, like grep). */
  clipWidth?: number;
  /** Matching lines shown per code before "… N more". */
  maxLines?: number;
}

const INDENT = '    ';
const NONE: readonly Range[] = [];

function fieldLabel(m: FieldMatch): string {
  const kind = m.field.kind === 'code' || m.field.kind === 'httpStatus' ? 'message' : m.field.kind;
  return LABELS[kind][m.field.lang ?? 'en'];
}

/** The first match in a field of this kind (and, if given, with this text). */
function matchOf(matches: readonly FieldMatch[], kind: FieldMatch['field']['kind'], text: string | undefined): FieldMatch | undefined {
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    if (m.field.kind === kind && (text === undefined || m.field.text === text)) return m;
  }
  return undefined;
}

export function renderSearchHits(hits: readonly SearchHit[], o: SearchRenderOptions): string {
  const { style } = o;
  const langs: Lang[] = langsOf(o.lang);
  const maxLines = o.maxLines ?? 4;
  // Index loops, and each hit's status worked out once: see matchingLines.
  const statuses: string[] = new Array(hits.length);
  let codeW = 0;
  let stW = 0;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    const s = h.entry.variants[h.variantOrder[0]!]!.httpStatus;
    statuses[i] = s === null ? '?' : String(s);
    codeW = Math.max(codeW, h.entry.code.length);
    stW = Math.max(stW, statuses[i]!.length);
  }
  const out: string[] = [];
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    const shown = h.variantOrder[0]!;
    const v = h.entry.variants[shown]!;
    const matches = h.matches;
    const codeMatch = matchOf(matches, 'code', undefined);
    const code = highlight(h.entry.code, codeMatch?.ranges ?? NONE, style, style.code);
    // Code, status and messages, two spaces apart (a string, not an array to join: see matchingLines).
    let head = `${code}${' '.repeat(codeW - h.entry.code.length)}  ${statuses[i]!.padEnd(stW)}`;
    // The message matches shown in the head line (at most one per language).
    let inHead: FieldMatch | undefined;
    let inHead2: FieldMatch | undefined;
    for (let k = 0; k < langs.length; k++) {
      const lang = langs[k]!;
      const text = v.message[lang]?.text ?? (o.lang === 'both' ? undefined : v.message[lang === 'en' ? 'zh' : 'en']?.text);
      if (!text) continue;
      const m = matchOf(matches, 'message', text);
      if (m) {
        if (inHead) inHead2 = m;
        else inHead = m;
      }
      head += `  ${highlight(text, m?.ranges ?? NONE, style)}`;
    }
    out.push(head.trimEnd());
    // The other matching lines, up to maxLines of them, then how many more there were.
    let rest = 0;
    for (let k = 0; k < matches.length; k++) {
      const m = matches[k]!;
      if (m.field.kind === 'code' || m === inHead || m === inHead2) continue;
      const other = m.field.variant >= 0 && m.field.variant !== shown && h.entry.variants.length > 1;
      const st = other ? h.entry.variants[m.field.variant]!.httpStatus : null;
      const label = `${fieldLabel(m)}${other ? ` (HTTP ${st ?? '?'})` : ''}: `;
      const lines = matchingLines(m.field.text, m.ranges);
      for (let n = 0; n < lines.length; n++, rest++) {
        if (rest >= maxLines) continue;
        const line = lines[n]!;
        const width = o.clipWidth !== undefined ? Math.max(20, o.clipWidth - INDENT.length - displayWidth(label)) : undefined;
        const l = width !== undefined ? clipLine(line, width) : line;
        out.push(`${INDENT}${style.dim(label)}${highlight(l.text, l.ranges, style)}`);
      }
    }
    if (rest > maxLines) out.push(`${INDENT}${style.dim(`… ${rest - maxLines} more matching line${rest - maxLines === 1 ? '' : 's'}`)}`);
  }
  if (!out.length) return '';
  out.push(''); // joined, the lines end with a newline (a join plus '\n' made a rope to flatten)
  return out.join('\n');
}
