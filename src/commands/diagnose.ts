// The diagnose command: read responses, SDK errors or whole logs from files, standard input or a
// pasted argument, and explain every error found. Exit 0 when something was explained, 1 when
// nothing recognisable was found, 2 when an input could not be read; --exit-status makes the status
// say whether the errors are worth retrying.

import type { Context } from '../context.js';
import { diagnoseSources, type DiagnoseSource } from '../diagnose/index.js';
import { exitStatusVerdict, isLog, type DiagnoseReport, type DiagnosedNotFound } from '../diagnose/report.js';
import { renderResults } from '../render/index.js';
import { renderJson } from '../render/json.js';
import { sanitize } from '../render/sanitize.js';
import { groupDigits, locator, renderSummary } from '../render/summary.js';
import { reportNotFound } from './output.js';
import { NO_INPUT_HINT } from './explain.js';

/** Progress on stderr: one line, rewritten in place, at most a few times a second, cleared at the end. */
class Progress {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly ctx: Context,
    private readonly forced: boolean,
  ) {}

  update(bytes: number, errors: number, input: string): void {
    const now = Date.now();
    // On a terminal, only a run long enough to wonder about gets a progress line.
    if (!this.forced && now - this.started < 500) return;
    if (this.shown && now - this.last < 200) return;
    this.last = now;
    const mb = (bytes / 1048576).toFixed(1);
    const where = input === '-' ? 'standard input' : sanitize(input);
    this.write(`ges-err: reading ${where}: ${mb} MB, ${groupDigits(errors)} error${errors === 1 ? '' : 's'} so far`);
  }

  private write(text: string): void {
    const tty = this.ctx.io.stderr.isTTY;
    this.ctx.err(tty ? `\r\u001b[K${text}` : `\r${text}`);
    this.width = Math.max(this.width, text.length);
    this.shown = true;
  }

  private width = 0;

  clear(): void {
    if (!this.shown) return;
    this.ctx.err(this.ctx.io.stderr.isTTY ? '\r\u001b[K' : `\r${' '.repeat(this.width)}\r`);
    this.shown = false;
  }
}

function readError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return String(err?.message ?? e);
  }
}

function stdinSource(ctx: Context): DiagnoseSource {
  return { name: '-', open: () => ctx.io.stdin.open() };
}

function fileSource(ctx: Context, path: string): DiagnoseSource {
  const io = ctx.io;
  return { name: path, open: () => io.openFile(path), ...(io.openFileReader && { reader: () => io.openFileReader!(path) }) };
}

function textSource(text: string): DiagnoseSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name: '(argument)',
    open: async function* () {
      yield bytes;
    },
  };
}

/** At most this many not-found notices on stderr; --json lists them all. */
const MAX_NOTICES = 20;

/** Not-found notices on stderr, each followed by what was observed with it. */
function reportUnexplained(ctx: Context, report: DiagnoseReport): void {
  const at = locator(report.summary);
  const rest = report.notFound.length - MAX_NOTICES;
  for (const n of report.notFound.slice(0, MAX_NOTICES) as DiagnosedNotFound[]) {
    reportNotFound(ctx, [n]);
    const facts: string[] = [`seen ${n.count}×`, n.firstLine === n.lastLine ? `line ${at(n.firstLine)}` : `lines ${at(n.firstLine)}–${at(n.lastLine)}`];
    if (n.observed.httpStatus !== null) facts.push(`HTTP ${n.observed.httpStatus}`);
    if (n.observed.requestId) facts.push(`request id ${sanitize(n.observed.requestId)}`);
    ctx.err(`  ${facts.join(', ')}\n`);
    if (n.observed.message) ctx.err(`  server message: ${sanitize(n.observed.message)}\n`);
  }
  if (rest > 0) ctx.err(`ges-err: ${groupDigits(rest)} more codes are not in the catalog (all are listed in --json).\n`);
}

function reportNothing(ctx: Context, report: DiagnoseReport): void {
  if (report.empty) {
    ctx.err('ges-err: the input is empty; nothing to diagnose.\n');
    return;
  }
  if (report.rows.length > 0) return;
  ctx.err('ges-err: no error code found in the input.\n');
  const { koocli, http, binary } = report.hints;
  if (koocli) {
    ctx.err(`  Line ${koocli.line} has a KooCLI ${sanitize(koocli.tag)} message: an error of hcloud itself (usage, configuration or network), not an error code of the service.\n`);
  }
  if (http) ctx.err(`  Line ${http.line} is an HTTP ${http.status} status line, but no error code follows it (an HTML error page or an empty body?).\n`);
  // As grep says "binary file": why nothing was found, and that such data is not what ges-err reads.
  if (binary) ctx.err(`  Line ${binary.line} holds a NUL byte: the input looks like binary data, not a response, an error message or a log.\n`);
}

async function diagnoseAndPrint(ctx: Context, sources: readonly DiagnoseSource[]): Promise<number> {
  const progress = new Progress(ctx, ctx.options.progress === true);
  const showProgress = ctx.options.progress === true || ctx.io.stderr.isTTY;
  const errors: string[] = [];
  const { report, unreadable } = await diagnoseSources(ctx.catalog(), sources, {
    onProgress: showProgress ? (bytes, n, input) => progress.update(bytes, n, input) : undefined,
    onReadError: (name, e) => errors.push(`ges-err: cannot read ${name === '-' ? 'standard input' : sanitize(name)}: ${sanitize(readError(e))}\n`),
  });
  progress.clear();
  for (const e of errors) ctx.err(e);

  if (ctx.format === 'json') {
    ctx.out(renderJson('diagnose', { results: report.results, notFound: report.notFound, summary: report.summary }));
  } else {
    const render = { format: ctx.format, lang: ctx.lang, style: ctx.style, columns: ctx.columns };
    let text = '';
    if (isLog(report) && ctx.format !== 'tsv') text += renderSummary(report.rows, report.summary, { ...render, format: ctx.format });
    if (report.results.length) text += renderResults(report.results, render);
    if (text) ctx.out(text);
  }
  reportUnexplained(ctx, report);
  if (report.summary.untracked > 0) {
    ctx.err(`ges-err: more distinct codes than ges-err tracks; ${groupDigits(report.summary.untracked)} occurrences of further codes are not reported.\n`);
  }
  // When no input could be read, "empty" or "nothing found" would only add noise to the read errors.
  if (unreadable.length < sources.length) reportNothing(ctx, report);

  if (unreadable.length) return 2;
  if (ctx.options.exitStatus) return exitStatusVerdict(report);
  return report.results.length > 0 ? 0 : 1;
}

/** A pasted response given as the argument (`ges-err '{"errorCode":...}'`). */
export async function runDiagnoseText(ctx: Context, text: string): Promise<number> {
  return diagnoseAndPrint(ctx, [textSource(text)]);
}

/** `cmd | ges-err`: standard input. */
export async function runDiagnoseStdin(ctx: Context): Promise<number> {
  return diagnoseAndPrint(ctx, [stdinSource(ctx)]);
}

/** `ges-err diagnose [FILE...|-]`. */
export async function runDiagnose(ctx: Context, files: readonly string[]): Promise<number> {
  if (files.length === 0) {
    // Read standard input only when it really is a pipe or a file: never block on a terminal.
    if (ctx.io.stdin.kind !== 'pipe') {
      ctx.err(NO_INPUT_HINT);
      return 2;
    }
    return runDiagnoseStdin(ctx);
  }
  if (files.filter((f) => f === '-').length > 1) {
    ctx.err("ges-err: standard input ('-') can be read only once.\n");
    return 2;
  }
  return diagnoseAndPrint(
    ctx,
    files.map((f) => (f === '-' ? stdinSource(ctx) : fileSource(ctx, f))),
  );
}
