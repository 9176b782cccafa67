// One run of ges-err, from argv to exit status, with all I/O behind `Io`. main.ts calls it with the
// real process; tests call it with fakes. Errors that end a run become one line on stderr.

import { DECLINED } from './bundle.js';
import { CatalogError } from './catalog/load.js';
import { fastParse } from './cli/parse.js';
import type { Invocation } from './cli/spec.js';
import { runExplain } from './commands/explain.js';
import { CliError, makeContext, userCatalogPaths, type Io } from './context.js';
import { FilterError } from './filters.js';
import { sanitize } from './render/sanitize.js';

async function parse(argv: readonly string[]): Promise<Invocation | undefined> {
  const fast = fastParse(argv);
  if (fast) return fast;
  // commander is loaded only for what the fast path leaves: help, errors, unusual syntax. (Each test
  // of __GES_ERR_BUNDLE__ wraps the code it guards: esbuild drops a false branch, not what follows a
  // return.)
  if (__GES_ERR_BUNDLE__ === 'full') return (await import('./cli/program.js')).commanderParse(argv);
  return undefined;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let inv: Invocation | undefined;
  try {
    inv = await parse(argv);
  } catch (e) {
    io.stderr.write(`ges-err: ${sanitize(String((e as Error).message))}\n`);
    return 2;
  }
  if (!inv) return DECLINED;
  // User catalogs are validated, cached and merged by code only the full and user-search bundles have.
  if (__GES_ERR_BUNDLE__ !== 'full' && __GES_ERR_BUNDLE__ !== 'user-search' && inv.kind !== 'help' && inv.kind !== 'usage-error' && userCatalogPaths(inv.options, io.env).length > 0) return DECLINED;
  if (inv.kind === 'help') {
    io.stdout.write(inv.text);
    return 0;
  }
  if (inv.kind === 'usage-error') {
    io.stderr.write(`ges-err: ${sanitize(inv.message, true)}\nTry 'ges-err --help' for usage.\n`);
    return 2;
  }
  try {
    // Commands other than explain are imported when run: in a bundle their modules are then evaluated
    // only by the runs that need them, not at every start (a lookup is most runs). Each test of
    // __GES_ERR_BUNDLE__ keeps a command's code out of the partial bundles that do not serve it.
    if (inv.kind === 'version') {
      if (__GES_ERR_BUNDLE__ === 'full') return (await import('./commands/version.js')).runVersion(makeContext(io, inv.options));
      return DECLINED;
    }
    switch (inv.command) {
      case 'explain':
        if (__GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'lookup' || __GES_ERR_BUNDLE__ === 'text' || __GES_ERR_BUNDLE__ === 'diagnose') return await runExplain(makeContext(io, inv.options), inv.args);
        break;
      case 'search':
        if (__GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'search' || __GES_ERR_BUNDLE__ === 'user-search') return await (await import('./commands/search.js')).runSearch(makeContext(io, inv.options), inv.args);
        break;
      case 'list':
        if (__GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'list') return (await import('./commands/list.js')).runList(makeContext(io, inv.options), inv.args);
        break;
      case 'diagnose':
        if (__GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'diagnose') return await (await import('./commands/diagnose.js')).runDiagnose(makeContext(io, inv.options), inv.args);
        break;
      case 'completion':
        if (__GES_ERR_BUNDLE__ === 'full') return (await import('./commands/completion.js')).runCompletion(makeContext(io, inv.options), inv.args[0]!);
        break;
    }
    return DECLINED;
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
