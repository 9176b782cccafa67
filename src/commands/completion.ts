// `ges-err completion bash|zsh|fish`: print a completion script for the shell.

import { SHELLS } from '../cli/spec.js';
import { completionScript, type Shell } from '../completion.js';
import { CliError, type Context } from '../context.js';

export function runCompletion(ctx: Context, shell: string): number {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new CliError(`no completion for '${shell}': choose one of ${SHELLS.join(', ')}`);
  }
  const catalog = ctx.catalog();
  ctx.out(completionScript(shell as Shell, { codes: catalog.entries.map((e) => e.code), families: catalog.families.map((f) => f.family) }));
  return 0;
}
