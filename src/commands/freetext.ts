// TEMPORARY until the free-text issue lands.
import type { Context } from '../context.js';
import { quoteInput } from '../render/sanitize.js';
export async function runFreeText(ctx: Context, text: string): Promise<number> {
  ctx.err(`ges-err: ${quoteInput(text)} is not an error code.\n`);
  return 1;
}
