// The default command: codes are looked up; anything else is read as a pasted response (diagnose)
// or as free text (fuzzy match over messages and remediation).

import { DECLINED } from '../bundle.js';
import { bareNumber, isLeadPrefix, isWordWithNumber, parseCodeArgs } from '../code.js';
import { CliError, type Context } from '../context.js';
import { explainCodes } from '../explain.js';
import { looksLikeResponse } from '../diagnose/detect.js';
import { printResults, reportNotFound } from './output.js';

// Diagnose and free text are imported when used, so that a lookup does not evaluate their modules;
// the partial bundles without them (src/bundle.ts) decline those runs before any output. Each
// import() is written inside its test of __GES_ERR_BUNDLE__: one outside (in a helper) would make
// esbuild wrap every module for lazy evaluation, even in the bundles that never import it.

export const NO_INPUT_HINT = `ges-err: nothing to explain.
Usage: ges-err CODE...            explain codes (GES.7018, ges-7018, 7018 ...)
       ges-err search PATTERN...  search messages and remediation
       CMD | ges-err              diagnose a response, SDK error or log piped in
Try 'ges-err --help' for more.
`;

export async function runExplain(ctx: Context, args: readonly string[]): Promise<number> {
  if (args.length === 0) {
    if (ctx.io.stdin.kind === 'pipe') return __GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'diagnose' ? (await import('./diagnose.js')).runDiagnoseStdin(ctx) : DECLINED;
    ctx.err(NO_INPUT_HINT);
    return 2;
  }
  // `ges-err "$CODE"` with CODE unset or blank: a script's mistake, said as one (not "matches nothing").
  if (args.every((a) => a.trim() === '')) {
    ctx.err(`ges-err: ${args.length > 1 ? 'the arguments are' : 'the argument is'} empty: nothing to explain.\n${NO_INPUT_HINT.slice(NO_INPUT_HINT.indexOf('\n') + 1)}`);
    return 2;
  }
  // `ges-err -`: standard input, as `ges-err diagnose -`.
  if (args.length === 1 && args[0] === '-') return __GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'diagnose' ? (await import('./diagnose.js')).runDiagnose(ctx, args) : DECLINED;
  let codes = parseCodeArgs(args);
  // "HTTP.404", "code:7018" in one word: a lead word is no service's prefix, unless a catalog has it.
  if (codes?.some((c) => isLeadPrefix(c.code.prefix))) {
    const prefixes = ctx.catalog().prefixes;
    codes = codes.map((c) => (isLeadPrefix(c.code.prefix) && !prefixes.has(c.code.prefix!) ? { input: c.input, code: bareNumber(c.code.number) } : c));
  }
  // "ipv6", "sha256 base64": words with a number in them, meant as free text, not as codes of
  // services ges-err has no catalog for.
  if (codes?.every((c) => isWordWithNumber(c.input) && !ctx.catalog().prefixes.has(c.code.prefix!))) codes = undefined;
  const text = args.join(' ');
  const pasted = !codes && looksLikeResponse(text);
  if (!pasted && (ctx.options.exitStatus || ctx.options.progress)) {
    throw new CliError(`${ctx.options.exitStatus ? '--exit-status' : '--progress'} applies to input to diagnose (piped, a file, or a pasted response), not to codes or free text`);
  }
  if (codes) {
    const outcome = explainCodes(ctx.catalog(), codes);
    printResults(ctx, 'explain', outcome.results, { notFound: outcome.notFound });
    reportNotFound(ctx, outcome.notFound);
    return outcome.results.length > 0 ? 0 : 1;
  }
  if (pasted) return __GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'diagnose' ? (await import('./diagnose.js')).runDiagnoseText(ctx, text) : DECLINED;
  if (__GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'text') return (await import('./freetext.js')).runFreeText(ctx, text);
  return DECLINED;
}
