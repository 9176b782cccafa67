// What a command needs from the outside world, passed in rather than reached for: the streams,
// the environment, the parsed options, the output decisions (format, language, colour, width)
// and the catalog, loaded on first use. main.ts builds it from `process`; tests build their own.

import type { FileReader } from './diagnose/input.js';
import { loadBundledCatalogs } from './catalog/bundled.js';
import { loadUserCatalog, readError, VALIDATOR_FINGERPRINT } from './catalog/cache.js';
import { buildCatalog, MAX_CATALOG_BYTES, parseUserCatalog, type Catalog } from './catalog/load.js';
import type { Format, LangChoice, Options } from './cli/spec.js';
import { decideColor, makeStyle, type Style } from './render/style.js';

export type StdinKind = 'tty' | 'pipe' | 'none';

export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(s: string): void; isTTY: boolean; columns?: number | undefined };
  stderr: { write(s: string): void; isTTY: boolean };
  /** Chunks of standard input; a chunk may be reused once the next one is requested. */
  stdin: { kind: StdinKind; open(): AsyncIterable<Uint8Array> };
  /** Read a whole (small) file, for user catalogs. Throws a NodeJS.ErrnoException. */
  readTextFile(path: string, maxBytes: number): string;
  /** Stream a file, for diagnose; a chunk may be reused once the next one is requested. */
  openFile(path: string): AsyncIterable<Uint8Array>;
  /** The same file read with blocking reads into the caller's buffer (diagnose reads it straight into its scanner); optional. */
  openFileReader?(path: string): FileReader;
  /**
   * A folder where ges-err may keep derived data (validated, indexed user catalogs), or undefined
   * for none (tests, GES_ERR_NO_CACHE). Nothing there is ever needed: it only saves time.
   */
  cacheDir?: string | undefined;
  version: string;
  /** Node's version, for --version. */
  nodeVersion: string;
}

/** An error that ends the run with a message on stderr and an exit status (2 unless said). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface Context {
  io: Io;
  options: Options;
  format: Format;
  lang: LangChoice;
  style: Style;
  /** Width for tables. */
  columns: number;
  /** The user catalogs named (GES_ERR_CATALOG, then --catalog): none means the bundled catalog alone. */
  userCatalogs: readonly string[];
  catalog(): Catalog;
  out(s: string): void;
  err(s: string): void;
}

const DEFAULT_COLUMNS = 100;

export function userCatalogPaths(options: Options, env: Io['env']): string[] {
  const fromEnv = (env.GES_ERR_CATALOG ?? '').split(':').filter((p) => p.trim() !== '');
  return [...fromEnv, ...(options.catalog ?? [])];
}

export function loadCatalog(io: Io, paths: readonly string[]): Catalog {
  const parts = loadBundledCatalogs();
  for (const p of paths) {
    // With a cache folder, a user catalog validated before is read from its indexed pack (cache.ts).
    if (io.cacheDir !== undefined) {
      parts.push(loadUserCatalog(p, { dir: io.cacheDir, fingerprint: VALIDATOR_FINGERPRINT }));
      continue;
    }
    let text: string;
    try {
      text = io.readTextFile(p, MAX_CATALOG_BYTES);
    } catch (e) {
      throw readError(p, e as NodeJS.ErrnoException);
    }
    parts.push(parseUserCatalog(text, p));
  }
  return buildCatalog(parts);
}

export function makeContext(io: Io, options: Options): Context {
  const format: Format = options.json ? 'json' : (options.format ?? (io.stdout.isTTY ? 'table' : 'plain'));
  const color = format !== 'json' && format !== 'tsv' && decideColor(options.color, io.env, io.stdout.isTTY);
  let columns = io.stdout.columns ?? (Number(io.env.COLUMNS) || DEFAULT_COLUMNS);
  if (options.width !== undefined) {
    const w = Number(options.width);
    if (!Number.isInteger(w) || w < 20 || w > 10000) throw new CliError(`--width takes a number of columns from 20 to 10000, not '${options.width}'`);
    columns = w;
  }
  let catalog: Catalog | undefined;
  const userCatalogs = userCatalogPaths(options, io.env);
  return {
    io,
    options,
    format,
    lang: options.lang ?? 'both',
    style: makeStyle(color),
    columns,
    userCatalogs,
    // Only the full and user-search bundles load user catalogs; the others decline such runs (run.ts)
    // and carry no code to load them.
    catalog: () =>
      (catalog ??=
        __GES_ERR_BUNDLE__ === 'full' || __GES_ERR_BUNDLE__ === 'user-search' ? loadCatalog(io, userCatalogs) : buildCatalog(loadBundledCatalogs())),
    out: (s) => io.stdout.write(s),
    err: (s) => io.stderr.write(s),
  };
}
