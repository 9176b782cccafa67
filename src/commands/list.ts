// `ges-err list [PREFIX]`: one line per code, grouped by family with counts.

import Table from 'cli-table3';
import type { CatalogEntry, CatalogInfo, EntryHead } from '../catalog/types.js';
import type { Context } from '../context.js';
import { listCodes } from '../list.js';
import { renderJson } from '../render/json.js';
import { renderTsv } from '../render/tsv.js';
import { explainEntry, prov } from '../result.js';
import { sanitize } from '../render/sanitize.js';
import { wrap } from '../render/wrap.js';

function statuses(e: EntryHead): string {
  const s = [...new Set(e.variants.map((v) => (v.httpStatus === null ? '?' : String(v.httpStatus))))];
  return s.join(',');
}

function messages(e: EntryHead, lang: Context['lang']): string[] {
  const v = e.variants[0]!;
  const more = e.variants.length > 1 ? ` (+${e.variants.length - 1} variant${e.variants.length > 2 ? 's' : ''})` : '';
  const en = v.message.en?.text;
  const zh = v.message.zh?.text;
  const out: string[] = [];
  if (lang !== 'zh') out.push(sanitize((en ?? zh ?? '') + more));
  if (lang !== 'en') out.push(sanitize((zh ?? en ?? '') + (lang === 'zh' ? more : '')));
  return out;
}

/** A family's catalog in `list --json`: the sources that results' provenance names, and the table's introduction. */
function catalogView(c: CatalogInfo) {
  return {
    id: c.id,
    version: c.version ?? null,
    sourcesDate: c.sourcesDate ?? null,
    user: c.userPath !== undefined,
    path: c.userPath ?? null,
    sources: c.sources.map((s) => ({ id: s.id, title: s.title, url: s.url ?? null, lang: s.lang ?? null, note: s.note ?? null })),
    intro: { en: c.intro.en?.text ?? null, zh: c.intro.zh?.text ?? null },
    provenance: { intro: { en: prov(c.intro.en), zh: prov(c.intro.zh) } },
  };
}

export function runList(ctx: Context, args: readonly string[]): number {
  const catalog = ctx.catalog();
  const whole = ctx.format === 'json' || ctx.format === 'tsv';
  // Only --json and tsv print whole entries; the listings read heads, a fraction of the catalog.
  const { entries, families } = whole ? listCodes(catalog, args[0], ctx.options) : listCodes(catalog, args[0], ctx.options, true);
  if (whole) {
    const results = (entries as CatalogEntry[]).map((e) => explainEntry(e));
    if (ctx.format === 'json') {
      ctx.out(
        renderJson('list', {
          families: families.map((f) => ({ family: f.family, familyName: f.familyName, codes: f.codes, variants: f.variants, catalogs: f.catalogs.map(catalogView) })),
          results,
        }),
      );
    } else ctx.out(renderTsv(results));
  } else {
    const out: string[] = [];
    for (const f of families) {
      const mine = entries.filter((e) => e.catalog.family === f.family);
      const title = `${sanitize(f.familyName.en)} / ${sanitize(f.familyName.zh)}: ${f.codes} code${f.codes === 1 ? '' : 's'}${f.variants !== f.codes ? `, ${f.variants} variants` : ''}`;
      if (ctx.format === 'table') {
        out.push(ctx.style.label(title));
        out.push(listTable(ctx, mine));
      } else if (ctx.format === 'md') {
        out.push(`## ${title}`, '', '| Code | HTTP | Message |', '|---|---|---|');
        for (const e of mine) out.push(`| \`${e.code}\` | ${statuses(e)} | ${messages(e, ctx.lang).join(' / ').replace(/\|/g, '\\|')} |`);
        out.push('');
      } else {
        out.push(`# ${title}`);
        const codeW = Math.max(...mine.map((e) => e.code.length));
        const stW = Math.max(...mine.map((e) => statuses(e).length));
        for (const e of mine) out.push(`${ctx.style.code(e.code.padEnd(codeW))}  ${statuses(e).padEnd(stW)}  ${messages(e, ctx.lang).join('  ')}`);
      }
    }
    if (out.length) ctx.out(out.join('\n') + '\n');
  }
  if (entries.length === 0) {
    ctx.err(`ges-err: no code matches${args[0] ? ` '${sanitize(args[0])}'` : ''}${ctx.options.family ? ` in family ${sanitize(ctx.options.family)}` : ''}${ctx.options.status ? ` with status ${sanitize(ctx.options.status)}` : ''}. Try 'ges-err list' for every code.\n`);
    return 1;
  }
  return 0;
}

function listTable(ctx: Context, entries: readonly EntryHead[]): string {
  const codeW = Math.max(...entries.map((e) => e.code.length));
  const stW = Math.max(4, ...entries.map((e) => statuses(e).length));
  const langs = ctx.lang === 'both' ? 2 : 1;
  // Borders: 1 + per column (2 padding + 1 border).
  const free = Math.max(20, ctx.columns - codeW - stW - 3 * (2 + langs) - 1);
  const msgW = Math.floor(free / langs);
  const head = ['Code', 'HTTP', ...(ctx.lang === 'zh' ? ['描述'] : ctx.lang === 'en' ? ['Message'] : ['Message', '描述'])];
  const table = new Table({
    head: head.map((h) => ctx.style.label(h)),
    colWidths: [codeW + 2, stW + 2, ...Array<number>(langs).fill(msgW + 2)],
    wordWrap: false,
    style: { head: [], border: ctx.style.border, 'padding-left': 1, 'padding-right': 1 },
  });
  for (const e of entries) {
    table.push([ctx.style.code(e.code), statuses(e), ...messages(e, ctx.lang).map((m) => wrap(m, msgW).join('\n'))]);
  }
  return table.toString();
}
