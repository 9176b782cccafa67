// TEMPORARY until the diagnose issue lands: finds codes by pattern only.
import type { Context } from '../context.js';
import { explainCodes } from '../explain.js';
import { parseCode } from '../code.js';
import { printResults } from './output.js';

async function readAll(it: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of it) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runDiagnoseText(ctx: Context, text: string): Promise<number> {
  const codes = [...text.matchAll(/\b[A-Za-z]+\.\d{4}\b/g)].map((m) => ({ input: m[0], code: parseCode(m[0])! }));
  const outcome = explainCodes(ctx.catalog(), codes);
  printResults(ctx, 'diagnose', outcome.results);
  if (!outcome.results.length) ctx.err('ges-err: no error code found in the input.\n');
  return outcome.results.length ? 0 : 1;
}

export async function runDiagnoseStdin(ctx: Context): Promise<number> {
  return runDiagnoseText(ctx, await readAll(ctx.io.stdin.open()));
}

export async function runDiagnose(ctx: Context, files: readonly string[]): Promise<number> {
  if (files.length === 0 || files[0] === '-') return runDiagnoseStdin(ctx);
  return runDiagnoseText(ctx, await readAll(ctx.io.openFile(files[0]!)));
}
