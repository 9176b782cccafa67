// TEMPORARY until the ecosystem issue lands.
import type { Context } from '../context.js';
export function runCompletion(ctx: Context, shell: string): number {
  ctx.err(`ges-err: completion for ${shell} is not available yet.\n`);
  return 2;
}
