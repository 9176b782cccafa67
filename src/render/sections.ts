// Turns a result into labelled sections of display text: the one place that decides what a person
// sees. The plain, table and markdown renderers only lay these sections out, so they cannot drift.
// Every string passes through sanitize() here, because results carry text from untrusted input.

import type { Lang } from '../catalog/types.js';
import type { ExplainedResult, VariantView } from '../result.js';
import { KIND_LABELS, LABELS, langsOf, provenanceMarker } from './labels.js';
import { sanitize } from './sanitize.js';

export interface Observed {
  httpStatus: number | null;
  requestId: string | null;
  message: string | null;
}

/** Extra fields that diagnose and search add to a result; renderers show them when present. */
export interface ResultExtras {
  count?: number;
  observed?: Observed;
  /** Line numbers where it was seen (the first ones only; bounded). */
  lines?: number[];
  firstLine?: number;
  lastLine?: number;
  score?: number;
  matchedFields?: string[];
}

export type AnyResult = ExplainedResult & ResultExtras;

export interface Section {
  key: string;
  label: string;
  lines: string[];
  /** Dimmed line after the text (where it came from). */
  marker?: string;
  /** Emphasised (warnings such as a status mismatch). */
  warn?: boolean;
}

export interface Block {
  code: string;
  /** "HTTP 400", family, variant: shown beside the code. */
  facts: string[];
  sections: Section[];
}

export type LangChoice = 'en' | 'zh' | 'both';

function label(key: keyof typeof LABELS, lang: Lang): string {
  return LABELS[key][lang];
}

function numbered(steps: readonly string[]): string[] {
  if (steps.length === 1) return steps[0]!.split('\n').map((l) => sanitize(l));
  return steps.flatMap((s, i) => {
    const [first, ...rest] = s.split('\n');
    const lead = `${i + 1}. `;
    return [lead + sanitize(first!), ...rest.map((l) => ' '.repeat(lead.length) + sanitize(l))];
  });
}

/** A phrase in the chosen language(s): "English / 中文" for both. */
function say(langs: readonly Lang[], en: string, zh: string): string {
  return langs.length === 2 ? `${en} / ${zh}` : langs[0] === 'zh' ? zh : en;
}

function statusText(s: number | null): string {
  return s === null ? 'HTTP status undocumented' : `HTTP ${s}`;
}

function variantSections(r: AnyResult, v: VariantView, langs: Lang[], isMain: boolean): Section[] {
  const out: Section[] = [];
  const userPath = r.catalog.path;
  if (isMain && r.observed) {
    const o = r.observed;
    const lines: string[] = [];
    let warn = false;
    if (o.httpStatus !== null) {
      if (v.httpStatus !== null && o.httpStatus !== v.httpStatus) {
        warn = true;
        lines.push(`HTTP ${o.httpStatus} (${say(langs, `documented: ${v.httpStatus}; they differ`, `文档为 ${v.httpStatus}，不一致`)})`);
      } else lines.push(`HTTP ${o.httpStatus}`);
    }
    if (o.requestId) lines.push(`${say(langs, 'Request ID', '请求ID')}: ${sanitize(o.requestId)}`);
    if (o.message) lines.push(`${say(langs, 'Server message', '服务端消息')}: ${sanitize(o.message)}`);
    if (r.count !== undefined && r.firstLine !== undefined) {
      const one = r.firstLine === r.lastLine;
      const en = `Seen ${r.count}× (${one ? `line ${r.firstLine}` : `lines ${r.firstLine}–${r.lastLine}`})`;
      const zh = `出现 ${r.count} 次（${one ? `第 ${r.firstLine} 行` : `第 ${r.firstLine}–${r.lastLine} 行`}）`;
      lines.push(say(langs, en, zh));
    }
    if (lines.length) out.push({ key: 'observed', label: langs.map((l) => label('observed', l)).join(' '), lines, warn });
  }
  for (const lang of langs) {
    const text = v.message[lang];
    if (text) out.push({ key: `message.${lang}`, label: label('message', lang), lines: [sanitize(text)], marker: provenanceMarker(v.provenance.message[lang], lang, userPath) });
  }
  for (const lang of langs) {
    const text = v.description[lang];
    if (text && text !== v.message[lang]) {
      out.push({ key: `description.${lang}`, label: label('description', lang), lines: [sanitize(text)], marker: provenanceMarker(v.provenance.description[lang], lang, userPath) });
    }
  }
  for (const lang of langs) {
    const steps = v.remediation[lang];
    if (steps.length) out.push({ key: `remediation.${lang}`, label: label('remediation', lang), lines: numbered(steps), marker: provenanceMarker(v.provenance.remediation[lang], lang, userPath) });
  }
  const noteLines: string[] = [];
  for (const n of v.notes) {
    for (const lang of langs) {
      const t = n[lang];
      if (t) noteLines.push(`[${KIND_LABELS[n.kind][lang]}] ${sanitize(t, true)}`);
    }
  }
  if (noteLines.length) out.push({ key: 'notes', label: langs.map((l) => label('notes', l)).join(' '), lines: noteLines });
  const retry = langs.map((l) => (l === 'en' ? (v.retryable ? 'yes: the same request may succeed later' : 'no: change the request or the resource first') : v.retryable ? '是：稍后重试同一请求可能成功' : '否：需先修改请求或资源')).join(' / ');
  out.push({ key: 'retryable', label: langs.map((l) => label('retryable', l)).join(' '), lines: [retry] });
  return out;
}

function docsSection(r: AnyResult, langs: Lang[]): Section | undefined {
  const urls: string[] = [];
  const order: Lang[] = langs.length === 1 ? [langs[0]!, langs[0] === 'en' ? 'zh' : 'en'] : langs;
  for (const l of order) {
    const u = r.docUrls[l];
    if (u && !urls.includes(u)) urls.push(u);
    if (langs.length === 1 && urls.length) break;
  }
  if (!urls.length) return undefined;
  return { key: 'docs', label: langs.map((l) => label('docs', l)).join(' '), lines: urls.map((u) => sanitize(u)) };
}

/** What the "Matched" section of a free-text result says: the fields that matched, and the score. */
export function matchedText(fields: readonly string[], score: number | undefined): string {
  return fields.join(', ') + (score !== undefined ? `  (score ${score.toFixed(2)})` : '');
}

/**
 * One block per variant: the main (most relevant) one first, then the code's other variants.
 * For a diagnosed error the observed response already picked the variant, so the others are
 * listed in one section of the main block instead of drawn in full.
 */
export function toBlocks(r: AnyResult, lang: LangChoice): Block[] {
  const langs = langsOf(lang);
  const family = lang === 'zh' ? r.familyName.zh : lang === 'en' ? r.familyName.en : `${r.familyName.en} / ${r.familyName.zh}`;
  const count = r.variant.count;
  const collapse = r.observed !== undefined;
  const variants: VariantView[] = [{ ...r, index: r.variant.index }, ...(collapse ? [] : r.otherVariants)];
  const blocks: Block[] = [];
  variants.forEach((v, i) => {
    const facts = [statusText(v.httpStatus), sanitize(family)];
    if (count > 1) facts.push(say(langs, `variant ${v.index} of ${count}`, `变体 ${v.index}/${count}`));
    if (r.catalog.user) facts.push(`user catalog: ${sanitize(r.catalog.path ?? r.catalog.id)}`);
    const sections = variantSections(r, v, langs, i === 0);
    if (i === 0 && r.matchedFields && r.matchedFields.length) {
      sections.unshift({ key: 'matched', label: label('matched', langs[0]!), lines: [matchedText(r.matchedFields, r.score)] });
    }
    if (i === 0 && collapse && r.otherVariants.length) {
      const lines = [...r.otherVariants].sort((a, b) => a.index - b.index).map((o) => `${statusText(o.httpStatus)}: ${sanitize(langs.map((l) => o.message[l]).filter(Boolean).join(' / '))}`);
      sections.push({ key: 'variants', label: langs.map((l) => label('variants', l)).join(' '), lines });
    }
    const docs = docsSection(r, langs);
    if (docs && i === variants.length - 1) sections.push(docs);
    blocks.push({ code: sanitize(r.code), facts, sections });
  });
  return blocks;
}
