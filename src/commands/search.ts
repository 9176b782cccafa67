// TEMPORARY until the search issue lands.
import type { Context } from '../context.js';
export async function runSearch(ctx: Context, patterns: readonly string[]): Promise<number> {
  ctx.err(`ges-err: search is not available yet (${patterns.join(' ')}).\n`);
  return 2;
}
