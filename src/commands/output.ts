// Shared by the commands: print results in the chosen format, and "not found" notices on stderr.

import type { Context } from '../context.js';
import type { NotFound } from '../explain.js';
import { renderResults } from '../render/index.js';
import { renderJson } from '../render/json.js';
import { sanitize } from '../render/sanitize.js';
import type { AnyResult } from '../render/sections.js';

export function printResults(ctx: Context, command: string, results: readonly AnyResult[], extra: Record<string, unknown> = {}): void {
  if (ctx.format === 'json') {
    ctx.out(renderJson(command, { results, ...extra }));
    return;
  }
  if (results.length === 0) return;
  ctx.out(renderResults(results, { format: ctx.format, lang: ctx.lang, style: ctx.style, columns: ctx.columns }));
}

export function reportNotFound(ctx: Context, notFound: readonly NotFound[]): void {
  const { style } = ctx;
  for (const n of notFound) {
    const code = sanitize(n.code);
    // "HTTP 404" names a status, which the hint says what to do with: no "not in the catalog".
    if (n.httpStatus !== undefined && n.hint) {
      ctx.err(`ges-err: ${sanitize(n.hint)}\n`);
      continue;
    }
    if (n.reason === 'other-service' && !n.suggestions.length) {
      ctx.err(`ges-err: ${code} is not a GES or API Gateway code. ${n.hint ?? ''}\n`);
      continue;
    }
    ctx.err(n.reason === 'other-service' ? `ges-err: ${code} is not a GES or API Gateway code.` : `ges-err: ${code} is not in the catalog.`);
    if (n.suggestions.length) {
      ctx.err(' Nearest known codes:\n');
      // One entry parsed per suggestion (byCode would parse the whole catalog: seconds for a large user one).
      const catalog = ctx.catalog();
      for (const s of n.suggestions) {
        const e = catalog.entryFor(s.code);
        const msg = e?.variants[0]?.message.en?.text ?? e?.variants[0]?.message.zh?.text ?? '';
        ctx.err(`  ${style.code(s.code)}  ${style.dim(`(${s.reason})`)}  ${sanitize(msg)}\n`);
      }
    } else ctx.err(' No known code is close to it.\n');
    if (n.hint) ctx.err(`  ${n.hint}\n`);
  }
}
