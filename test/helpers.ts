// Test helpers: run the CLI in-process with fake streams (fast, for many cases) or spawn the built
// executable named by package.json's "bin" (for what only a real process shows).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../src/run.js';
import type { Io, StdinKind } from '../src/context.js';
import type { Catalog } from '../src/catalog/load.js';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const fixture = (name: string) => path.join(ROOT, 'test/fixtures', name);
export const readFixture = (name: string) => readFileSync(fixture(name), 'utf8');

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
export const BIN = path.join(ROOT, pkg.bin['ges-err']!);
export const VERSION = pkg.version;

export interface CliResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Spawn the real executable. Colour is off unless the test's env says otherwise. */
export function spawnCli(args: readonly string[], opts: { input?: string | Buffer; env?: Record<string, string | undefined> } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GES_ERR_CATALOG: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.input,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export interface FakeRunOptions {
  stdin?: string | Buffer | Uint8Array[];
  stdinKind?: StdinKind;
  env?: Record<string, string | undefined>;
  isTTY?: boolean;
  columns?: number;
  files?: Record<string, string>;
}

/** Run ges-err in this process with fake streams. */
export async function runFake(argv: readonly string[], o: FakeRunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const chunks = o.stdin === undefined ? [] : Array.isArray(o.stdin) ? o.stdin : [typeof o.stdin === 'string' ? Buffer.from(o.stdin) : o.stdin];
  const files = o.files ?? {};
  const io: Io = {
    env: o.env ?? {},
    stdout: { write: (s) => void (stdout += s), isTTY: o.isTTY ?? false, columns: o.columns },
    stderr: { write: (s) => void (stderr += s), isTTY: false },
    stdin: {
      kind: o.stdinKind ?? (o.stdin === undefined ? 'none' : 'pipe'),
      open: async function* () {
        for (const c of chunks) yield c;
      },
    },
    readTextFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return files[p]!;
    },
    openFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return (async function* () {
        yield Buffer.from(files[p]!);
      })();
    },
    version: VERSION,
    nodeVersion: process.versions.node,
  };
  const status = await run(argv, io);
  return { stdout, stderr, status };
}

// eslint-disable-next-line no-control-regex
export const ANSI_ESCAPE = /\u001b/;

/** A catalog whose named members throw when read: proves that a path parses only the entries it must. */
export function forbidding(c: Catalog, members: readonly (keyof Catalog)[], message = 'parses every entry of the catalog'): Catalog {
  const throwing = (m: string): PropertyDescriptor => ({
    get() {
      throw new Error(`${m} ${message}`);
    },
  });
  return Object.create(c, Object.fromEntries(members.map((m) => [m, throwing(m)]))) as Catalog;
}

/**
 * A catalog whose `entries` (every entry parsed) cannot be read: a search that stays on the index
 * or on the prefilter's candidates works; one that falls back to every entry throws.
 */
export function withoutEntries(c: Catalog): Catalog {
  return forbidding(c, ['entries', 'byCode'], '(search read every entry)');
}
