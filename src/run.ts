// One run of ges-err, from argv to exit status, with all I/O behind `Io`. main.ts calls it with the
// real process; tests call it with fakes. Errors that end a run become one line on stderr.

import { CatalogError } from './catalog/load.js';
import { fastParse } from './cli/parse.js';
import type { Invocation } from './cli/spec.js';
import { runExplain } from './commands/explain.js';
import { CliError, makeContext, type Io } from './context.js';
import { FilterError } from './filters.js';
import { sanitize } from './render/sanitize.js';

async function parse(argv: readonly string[]): Promise<Invocation> {
  const fast = fastParse(argv);
  if (fast) return fast;
  // commander is loaded only for what the fast path leaves: help, errors, unusual syntax.
  const { commanderParse } = await import('./cli/program.js');
  return commanderParse(argv);
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let inv: Invocation;
  try {
    inv = await parse(argv);
  } catch (e) {
    io.stderr.write(`ges-err: ${sanitize(String((e as Error).message))}\n`);
    return 2;
  }
  if (inv.kind === 'help') {
    io.stdout.write(inv.text);
    return 0;
  }
  if (inv.kind === 'usage-error') {
    io.stderr.write(`ges-err: ${sanitize(inv.message, true)}\nTry 'ges-err --help' for usage.\n`);
    return 2;
  }
  try {
    // Commands other than explain are imported when run: in the CLI bundle their modules are then
    // evaluated only by the runs that need them, not at every start (a lookup is most runs).
    if (inv.kind === 'version') return (await import('./commands/version.js')).runVersion(makeContext(io, inv.options));
    const ctx = makeContext(io, inv.options);
    switch (inv.command) {
      case 'explain':
        return await runExplain(ctx, inv.args);
      case 'search':
        return await (await import('./commands/search.js')).runSearch(ctx, inv.args);
      case 'list':
        return (await import('./commands/list.js')).runList(ctx, inv.args);
      case 'diagnose':
        return await (await import('./commands/diagnose.js')).runDiagnose(ctx, inv.args);
      case 'completion':
        return (await import('./commands/completion.js')).runCompletion(ctx, inv.args[0]!);
    }
  } catch (e) {
    if (e instanceof CatalogError) {
      io.stderr.write(`ges-err: ${sanitize(e.formatted)}\n`);
      return 2;
    }
    if (e instanceof CliError || e instanceof FilterError) {
      io.stderr.write(`ges-err: ${sanitize(e.message, true)}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
