// bin/ges-err.cjs runs a bundle from V8's code cache when one made from that very file exists, and
// otherwise exactly as require() would; whatever the cache's state, and whichever bundle it tries
// first, the output is the same.

import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, GLOBAL_OPTIONS } from '../src/cli/spec.js';
import { fixture, ROOT } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ges-err-loader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the installed package (bin + dist), as npm would lay it out elsewhere. */
function install(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  return dir;
}

// `--format plain` (what a pipe gets anyway) keeps the run off the page the build rendered for a
// bare `GES.7018` (test/pages.test.ts): these runs are about the bundles and their caches.
function run(dir: string, cacheHome: string, env: Record<string, string> = {}, args = ['GES.7018', '--format', 'plain']) {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', GES_ERR_DEBUG_CODE_CACHE: '1', XDG_CACHE_HOME: cacheHome, GES_ERR_NO_CACHE: undefined, ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  const r = spawnSync(process.execPath, [path.join(dir, 'bin/ges-err.cjs'), ...args], { env: e as NodeJS.ProcessEnv, encoding: 'utf8' });
  return {
    status: r.status,
    stdout: r.stdout,
    state: /code cache (used|none matched|rejected by V8)/.exec(r.stderr)?.[1],
    file: /\(([^)]*\.cache)\)/.exec(r.stderr)?.[1],
    bundles: [...r.stderr.matchAll(/ges-err: ([\w-]+) bundle,/g)].map((m) => m[1]),
    declined: /declined the run/.test(r.stderr),
  };
}

const expected = spawnSync(process.execPath, [path.join(ROOT, 'dist/ges-err.cjs'), 'GES.7018'], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' }).stdout;

describe('code cache loader', () => {
  it('uses the cache the build made for the built bundle', () => {
    const r = run(ROOT, path.join(tmp, 'unused'));
    expect(r).toMatchObject({ status: 0, stdout: expected, state: 'used' });
    expect(existsSync(path.join(tmp, 'unused'))).toBe(false);
  });

  it('tries the partial bundle the arguments call for, each with its own cache', () => {
    const home = path.join(tmp, 'unused');
    const route = (...args: string[]) => {
      const r = run(ROOT, home, {}, args);
      expect(r.state).toBe('used');
      return [r.bundles.join('>'), path.basename(r.file ?? '')];
    };
    expect(route('GES.7018', '--format', 'plain')).toEqual(['lookup', 'ges-err-lookup.cjs.cache']);
    expect(route('ges', '7018', '--json')).toEqual(['lookup', 'ges-err-lookup.cjs.cache']);
    // A Chinese IME's full-width code is a lookup too (it had gone to the free-text bundle).
    expect(route('ＧＥＳ．７０１８', '--format', 'plain')).toEqual(['lookup', 'ges-err-lookup.cjs.cache']);
    expect(route('--lang', 'en', 'GES.7018')).toEqual(['lookup', 'ges-err-lookup.cjs.cache']);
    expect(route('search', 'quota')).toEqual(['search', 'ges-err-search.cjs.cache']);
    expect(route('--lang', 'en', 'search', 'quota')).toEqual(['search', 'ges-err-search.cjs.cache']);
    expect(route('list', '--format', 'plain')).toEqual(['list', 'ges-err-list.cjs.cache']);
    expect(route('graph not running')).toEqual(['text', 'ges-err-text.cjs.cache']);
    expect(route('--version')).toEqual(['full', 'ges-err.cjs.cache']);
    expect(route('diagnose', '-')).toEqual(['diagnose', 'ges-err-diagnose.cjs.cache']);
    expect(route('-')).toEqual(['diagnose', 'ges-err-diagnose.cjs.cache']);
    expect(route()).toEqual(['diagnose', 'ges-err-diagnose.cjs.cache']);
    expect(route('--json', '--exit-status')).toEqual(['diagnose', 'ges-err-diagnose.cjs.cache']);
    expect(route('{"errorCode":"GES.7018"}')).toEqual(['diagnose', 'ges-err-diagnose.cjs.cache']);
    expect(route('--help')).toEqual(['full', 'ges-err.cjs.cache']);
    // User catalogs are loaded by the full bundle, and by the user-search bundle for searches.
    expect(run(ROOT, home, {}, ['--catalog', '/nonexistent.json', 'GES.7018']).bundles).toEqual(['full']);
    expect(run(ROOT, home, { GES_ERR_CATALOG: '/nonexistent.json' }, ['GES.7018']).bundles).toEqual(['full']);
    expect(run(ROOT, home, { GES_ERR_CATALOG: '/nonexistent.json' }, ['list']).bundles).toEqual(['full']);
    expect(route('--catalog', '/nonexistent.json', 'search', 'quota')).toEqual(['user-search', 'ges-err-user-search.cjs.cache']);
    expect(route('search', 'quota', '--catalog=/nonexistent.json')).toEqual(['user-search', 'ges-err-user-search.cjs.cache']);
    expect(run(ROOT, home, { GES_ERR_CATALOG: '/nonexistent.json' }, ['search', 'quota']).bundles).toEqual(['user-search']);
    // The partial bundles were made without the other commands' code, and their caches are smaller.
    const bytes = (f: string) => readFileSync(path.join(ROOT, 'dist', f)).length;
    for (const name of ['lookup', 'search', 'user-search', 'list', 'text', 'diagnose']) {
      expect(bytes(`ges-err-${name}.cjs`)).toBeLessThan(bytes('ges-err.cjs') * 0.6);
      expect(bytes(`ges-err-${name}.cjs.cache`)).toBeLessThan(bytes('ges-err.cjs.cache') / 1.5);
    }
    expect(existsSync(home)).toBe(false);
  });

  it('is ASCII, as the bundles are (scripts/build.mjs checks them)', () => {
    // Node reads a file with one character beyond ASCII as a two-byte string: twice the memory,
    // kept for the whole run, and a slower decode, on every run of every command.
    const text = readFileSync(path.join(ROOT, 'bin/ges-err.cjs'), 'utf8');
    expect([...text].filter((c) => c.charCodeAt(0) > 0x7f)).toEqual([]);
  });

  it('runs each file as the build wrote it: as a script, the function it calls; required, a module', () => {
    // The build writes the function around the code (scripts/build.mjs, forLoader): wrapping it at
    // run time copied the bundle. `node dist/ges-err.cjs` and require() must see a module still.
    const dist = path.join(ROOT, 'dist');
    const files = [...readdirSync(dist).filter((f) => /^ges-err.*\.cjs$/.test(f)), ...readdirSync(path.join(dist, 'vendor')).filter((f) => f.endsWith('.cjs')).map((f) => `vendor/${f}`)];
    expect(files.length).toBeGreaterThanOrEqual(11);
    // The loader knows such a file by its start (PREWRAPPED): one that differed would be wrapped again,
    // and still run, but copied as before.
    const prefix = /^const PREWRAPPED = '(.*)';$/m.exec(readFileSync(path.join(ROOT, 'bin/ges-err.cjs'), 'utf8'))![1]!;
    for (const f of files) expect({ f, prewrapped: readFileSync(path.join(dist, f), 'utf8').startsWith(prefix) }).toEqual({ f, prewrapped: true });
    for (const f of files) {
      const fn: unknown = new Script(readFileSync(path.join(dist, f), 'utf8'), { filename: f }).runInThisContext();
      expect({ f, type: typeof fn, params: (fn as (...a: unknown[]) => unknown).length }).toEqual({ f, type: 'function', params: 5 });
    }
    const chalk = createRequire(import.meta.url)(path.join(dist, 'vendor/chalk.cjs')) as { Chalk?: unknown };
    expect(typeof chalk.Chalk).toBe('function');
    const direct = spawnSync(process.execPath, [path.join(dist, 'ges-err.cjs'), 'GES.7018', '--format', 'plain'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(direct.stdout).toContain('GES.7018');
  });

  it('knows every command and every global option that takes a value, as src/cli/spec.ts has them', () => {
    // The loader keeps its own short lists (it runs before any bundle): a global option it did not
    // know to take a value would have the value read as the command, and send the run to the wrong
    // bundle. (A command's own options come after its name, which the loader has already seen.)
    const home = path.join(tmp, 'unused');
    for (const o of GLOBAL_OPTIONS.filter((x) => x.value)) {
      const value = o.choices?.[0] ?? (o.long === 'width' ? '80' : '/nonexistent.json');
      const bundle = o.long === 'catalog' ? 'user-search' : 'search';
      expect({ option: o.long, bundles: run(ROOT, home, {}, [`--${o.long}`, value, 'search', 'quota']).bundles }).toEqual({ option: o.long, bundles: [bundle] });
    }
    for (const c of COMMANDS.filter((x) => !['explain', 'search', 'list', 'diagnose'].includes(x.name))) {
      expect({ command: c.name, bundles: run(ROOT, home, {}, [c.name, 'bash']).bundles }).toEqual({ command: c.name, bundles: ['full'] });
    }
    expect(run(ROOT, home, {}, ['diagnose', '/nonexistent.log']).bundles).toEqual(['diagnose']);
  });

  it('leaves out of each partial bundle the code of the runs it declines', () => {
    const text = (f: string) => readFileSync(path.join(ROOT, 'dist', f), 'utf8');
    // One message from each command's own module, and the user catalog validator's.
    const marks = {
      diagnose: 'nothing to diagnose',
      freeText: 'no message, description or remediation matches it well',
      search: 'contradict each other',
      list: '| Code | HTTP | Message |',
      validator: 'duplicate code',
    };
    const has = (f: string) => Object.entries(marks).filter(([, m]) => text(f).includes(m)).map(([k]) => k);
    expect(has('ges-err.cjs')).toEqual(Object.keys(marks));
    expect(has('ges-err-lookup.cjs')).toEqual([]);
    expect(has('ges-err-search.cjs')).toEqual(['search']);
    expect(has('ges-err-user-search.cjs')).toEqual(['search', 'validator']);
    expect(has('ges-err-list.cjs')).toEqual(['list']);
    expect(has('ges-err-text.cjs')).toEqual(['freeText']);
    expect(has('ges-err-diagnose.cjs')).toEqual(['diagnose']);
  });

  // One test per case (six runs each): as one test, the 126 runs took 18-20 s against the 20 s timeout.
  const cases: { args: string[]; input?: string; env?: Record<string, string>; servedBy: string[] }[] = [
    { args: ['GES.7018'], servedBy: ['lookup', 'text', 'diagnose'] },
    { args: ['ges', '7000', '--json', '--lang', 'zh'], servedBy: ['lookup', 'text', 'diagnose'] },
    { args: ['GES.9999'], servedBy: ['lookup', 'text', 'diagnose'] },
    { args: ['ipv6'], servedBy: ['text'] },
    { args: ['search', 'quota', '-c'], servedBy: ['search', 'user-search'] },
    { args: ['search', '-E', '('], servedBy: ['search', 'user-search'] },
    { args: ['list', 'GES.70', '--format', 'tsv'], servedBy: ['list'] },
    { args: ['graph is not running'], servedBy: ['text'] },
    { args: ['zzzz qqqq xxxx'], servedBy: ['text'] },
    { args: ['{"errorCode":"GES.7018","errorMessage":"x"}'], servedBy: ['diagnose'] },
    { args: [], input: 'HTTP/1.1 400 Bad Request\r\n\r\n{"error_code":"APIGW.0101","error_msg":"x"}', servedBy: ['diagnose'] },
    { args: ['-'], input: '{"errorCode":"GES.7018"}', servedBy: ['diagnose'] },
    { args: ['diagnose', '--json'], input: 'GES.7000 then APIGW.0101', servedBy: ['diagnose'] },
    { args: ['GES.7018', '--exit-status'], servedBy: ['lookup', 'text', 'diagnose'] },
    { args: ['--catalog', '/nonexistent.json', 'GES.7018'], servedBy: [] },
    { args: ['--catalog', '/nonexistent.json', 'search', 'quota'], servedBy: ['user-search'] },
    { args: ['search', 'capacitor'], env: { GES_ERR_CATALOG: fixture('queries-user-catalog.json'), GES_ERR_NO_CACHE: '1' }, servedBy: ['user-search'] },
    { args: ['GES.7018'], env: { GES_ERR_CATALOG: '/nonexistent.json' }, servedBy: [] },
    { args: ['--help'], servedBy: [] },
    { args: ['--version'], servedBy: [] },
    { args: ['--bogus'], servedBy: [] },
    { args: ['completion', 'bash'], servedBy: [] },
  ];
  const caseName = (c: (typeof cases)[number]) =>
    [c.args.length ? c.args.join(' ') : '(no arguments)', c.input === undefined ? '' : '< stdin', c.env ? `with ${Object.keys(c.env).join(', ')}` : ''].filter(Boolean).join(' ');
  it.each(cases.map((c) => [caseName(c), c] as const))(
    'gives the same answer whichever bundle it tries first, a partial one declining what it lacks: %s',
    (_, c) => {
      const spawn = (bundle: string) => {
        const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', GES_ERR_BUNDLE: bundle, GES_ERR_DEBUG_CODE_CACHE: '1', GES_ERR_CATALOG: undefined, ...c.env };
        for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
        const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/ges-err.cjs'), ...c.args], { env: env as NodeJS.ProcessEnv, input: c.input ?? '', encoding: 'utf8' });
        const debug = r.stderr.split('\n').filter((l) => /^ges-err: ([\w-]+ bundle,|the [\w-]+ bundle declined)/.test(l));
        return { answer: { status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !debug.includes(l)).join('\n') }, declined: debug.some((l) => l.includes('declined')) };
      };
      const full = spawn('full');
      expect(full.declined).toBe(false);
      for (const bundle of ['lookup', 'search', 'user-search', 'list', 'text', 'diagnose']) {
        const r = spawn(bundle);
        expect({ args: c.args, bundle, ...r.answer }).toEqual({ args: c.args, bundle, ...full.answer });
        expect({ args: c.args, bundle, declined: r.declined }).toEqual({ args: c.args, bundle, declined: !c.servedBy.includes(bundle) });
      }
    },
  );

  it('loads the vendor modules a run needs from their code caches too, as require() would', () => {
    const args = ['GES.7018', '--format', 'table', '--color', 'always', '--width', '90'];
    const direct = spawnSync(process.execPath, [path.join(ROOT, 'dist/ges-err.cjs'), ...args], { encoding: 'utf8' }).stdout;
    const vendors = (stderr: string) => [...stderr.matchAll(/ges-err: vendor\/(\S+), code cache (used|none matched|rejected by V8)/g)].map((m) => `${m[1]} ${m[2]}`);
    const e: Record<string, string | undefined> = { ...process.env, GES_ERR_DEBUG_CODE_CACHE: '1', XDG_CACHE_HOME: path.join(tmp, 'home-vendor') };
    delete e.NO_COLOR;
    delete e.FORCE_COLOR;
    const shipped = spawnSync(process.execPath, [path.join(ROOT, 'bin/ges-err.cjs'), ...args], { encoding: 'utf8', env: e as NodeJS.ProcessEnv });
    expect(shipped.stdout).toBe(direct);
    expect(vendors(shipped.stderr)).toEqual(['chalk.cjs used', 'cli-table3.cjs used']);
    // Other Node options: the shipped caches' key does not match; the first run writes the user's
    // own, the next uses them.
    const other = { ...e, NODE_OPTIONS: '--no-warnings' };
    const first = spawnSync(process.execPath, [path.join(ROOT, 'bin/ges-err.cjs'), ...args], { encoding: 'utf8', env: other as NodeJS.ProcessEnv });
    expect(first.stdout).toBe(direct);
    expect(vendors(first.stderr)).toEqual(['chalk.cjs none matched', 'cli-table3.cjs none matched']);
    const second = spawnSync(process.execPath, [path.join(ROOT, 'bin/ges-err.cjs'), ...args], { encoding: 'utf8', env: other as NodeJS.ProcessEnv });
    expect(second.stdout).toBe(direct);
    expect(vendors(second.stderr)).toEqual(['chalk.cjs used', 'cli-table3.cjs used']);
  });

  it('uses the shipped caches in a copy of the package: the stamp, not the file, names the content', () => {
    const dir = install('copy');
    const home = path.join(tmp, 'home-copy');
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'used', file: path.join(dir, 'dist/ges-err-lookup.cjs.cache') });
    expect(existsSync(home)).toBe(false);
  });

  it('makes and uses its own cache when the shipped one was made under other Node options', () => {
    const dir = install('options');
    const home = path.join(tmp, 'home-options');
    const options = { NODE_OPTIONS: '--no-warnings' };
    expect(run(dir, home, options)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    expect(readdirSync(path.join(home, 'ges-err'))).toHaveLength(1);
    expect(run(dir, home, options)).toMatchObject({ status: 0, stdout: expected, state: 'used', file: expect.stringContaining(home) });
    // Other options again: a cache of their own beside it, and runs under either keep using theirs.
    const others = { NODE_OPTIONS: '--no-deprecation' };
    expect(run(dir, home, others)).toMatchObject({ state: 'none matched' });
    expect(readdirSync(path.join(home, 'ges-err'))).toHaveLength(2);
    expect(run(dir, home, options)).toMatchObject({ state: 'used', file: expect.stringContaining(home) });
    expect(run(dir, home, others)).toMatchObject({ state: 'used', file: expect.stringContaining(home) });
    // Back to the build's options: the shipped cache again.
    expect(run(dir, home)).toMatchObject({ state: 'used', file: path.join(dir, 'dist/ges-err-lookup.cjs.cache') });
  });

  /** Overwrite the V8 data of a cache file, keeping its key (the first two lines). */
  const garble = (cache: string) => {
    const bytes = readFileSync(cache);
    bytes.fill(0x55, bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 1);
    writeFileSync(cache, bytes);
  };

  it('runs from source when V8 rejects its own cache, and replaces it', () => {
    const dir = install('garbled');
    const home = path.join(tmp, 'home-garbled');
    const options = { NODE_OPTIONS: '--no-warnings' };
    run(dir, home, options);
    garble(path.join(home, 'ges-err', readdirSync(path.join(home, 'ges-err'))[0]!));
    expect(run(dir, home, options)).toMatchObject({ status: 0, stdout: expected, state: 'rejected by V8' });
    expect(run(dir, home, options)).toMatchObject({ status: 0, stdout: expected, state: 'used' });
  });

  it('falls back to a cache of its own when V8 rejects a shipped one whose key matched', () => {
    const dir = install('garbled-shipped');
    const home = path.join(tmp, 'home-garbled-shipped');
    const shipped = path.join(dir, 'dist/ges-err-lookup.cjs.cache');
    garble(shipped);
    const before = readFileSync(shipped);
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'rejected by V8', file: shipped });
    // The user's folder gets the new cache; dist/ is the build's and is left as it was.
    expect(readdirSync(path.join(home, 'ges-err'))).toHaveLength(1);
    expect(readFileSync(shipped).equals(before)).toBe(true);
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'used', file: expect.stringContaining(home) });
  });

  it('never uses a cache made before the bundle changed', () => {
    const bundle = (dir: string) => path.join(dir, 'dist/ges-err-lookup.cjs');
    // Rebuilt: a new stamp (same length), so neither the shipped cache nor an old one of the user's matches.
    const rebuilt = install('rebuilt');
    const home = path.join(tmp, 'home-rebuilt');
    writeFileSync(bundle(rebuilt), readFileSync(bundle(rebuilt), 'utf8').replace(/(\/\/ ges-err build )[0-9a-f]+\n$/, (_, line: string) => `${line}${'0'.repeat(16)}\n`));
    expect(run(rebuilt, home)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    expect(run(rebuilt, home)).toMatchObject({ status: 0, stdout: expected, state: 'used', file: expect.stringContaining(home) });
    // Edited, the stamp kept: the length is in the key.
    const edited = install('edited');
    const home2 = path.join(tmp, 'home-edited');
    writeFileSync(bundle(edited), `// edited\n${readFileSync(bundle(edited), 'utf8')}`);
    expect(run(edited, home2)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    expect(run(edited, home2)).toMatchObject({ state: 'used', file: expect.stringContaining(home2) });
    // Edited at the end, the stamp no longer last: no key, so no cache is read or written.
    const appended = install('appended');
    const home3 = path.join(tmp, 'home-appended');
    appendFileSync(bundle(appended), '\n// changed\n');
    expect(run(appended, home3)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    expect(run(appended, home3)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    expect(existsSync(home3)).toBe(false);
  });

  it('writes nothing with GES_ERR_NO_CACHE', () => {
    const dir = install('nocache');
    const home = path.join(tmp, 'home-nocache');
    // The shipped cache is still used (it is the package's, not kept in the cache folder) ...
    expect(run(dir, home, { GES_ERR_NO_CACHE: '1' })).toMatchObject({ status: 0, stdout: expected, state: 'used' });
    // ... and a run that had none usable keeps none.
    expect(run(dir, home, { GES_ERR_NO_CACHE: '1', NODE_OPTIONS: '--no-warnings' })).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    expect(existsSync(home)).toBe(false);
  });

  it('says how to build when the bundle is missing', () => {
    const dir = install('unbuilt');
    rmSync(path.join(dir, 'dist'), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(dir, 'bin/ges-err.cjs'), 'GES.7018'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("run 'npm install' or 'npm run build'");
  });
});
