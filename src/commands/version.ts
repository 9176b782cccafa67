// `ges-err --version`: the tool, its catalog, and how many codes each family holds.

import type { Context } from '../context.js';
import { renderJson } from '../render/json.js';
import { sanitize } from '../render/sanitize.js';

export function runVersion(ctx: Context): number {
  const catalog = ctx.catalog();
  const bundled = catalog.catalogs.filter((c) => c.userPath === undefined);
  const versions = [...new Set(bundled.map((c) => c.version).filter(Boolean))].join(', ');
  const dates = [...new Set(bundled.map((c) => c.sourcesDate).filter(Boolean))].join(', ');
  if (ctx.format === 'json') {
    ctx.out(
      renderJson('version', {
        version: ctx.io.version,
        catalog: { version: versions || null, sourcesDate: dates || null },
        families: catalog.families.map((f) => ({ family: f.family, familyName: f.familyName, codes: f.codes, variants: f.variants, user: f.catalogs.some((c) => c.userPath !== undefined) })),
        node: ctx.io.nodeVersion,
      }),
    );
    return 0;
  }
  const lines = [`ges-err ${ctx.io.version}`, `catalog ${versions} (sources compiled ${dates})`];
  const w = Math.max(...catalog.families.map((f) => f.familyName.en.length));
  for (const f of catalog.families) {
    const variants = f.variants !== f.codes ? ` (${f.variants} variants)` : '';
    const user = f.catalogs.filter((c) => c.userPath !== undefined).map((c) => sanitize(c.userPath!));
    lines.push(`  ${sanitize(f.familyName.en).padEnd(w)}  ${String(f.codes).padStart(4)} code${f.codes === 1 ? '' : 's'}${variants}${user.length ? `  from ${user.join(', ')}` : ''}`);
  }
  lines.push(`node ${ctx.io.nodeVersion}`);
  ctx.out(lines.join('\n') + '\n');
  return 0;
}
