// bin/ges-err.cjs runs the bundle from V8's code cache when one made from that very file exists, and
// otherwise exactly as require() would; whatever the cache's state, the output is the same.

import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ges-err-loader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the installed package (bin + dist), as npm would lay it out elsewhere. */
function install(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  return dir;
}

function run(dir: string, cacheHome: string, env: Record<string, string> = {}, args = ['GES.7018']) {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', GES_ERR_DEBUG_CODE_CACHE: '1', XDG_CACHE_HOME: cacheHome, GES_ERR_NO_CACHE: undefined, ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  const r = spawnSync(process.execPath, [path.join(dir, 'bin/ges-err.cjs'), ...args], { env: e as NodeJS.ProcessEnv, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, state: /code cache (used|none matched|rejected by V8)/.exec(r.stderr)?.[1], file: /\(([^)]*\.cache)\)/.exec(r.stderr)?.[1] };
}

const expected = spawnSync(process.execPath, [path.join(ROOT, 'dist/ges-err.cjs'), 'GES.7018'], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' }).stdout;

describe('code cache loader', () => {
  it('uses the cache the build made for the built bundle', () => {
    const r = run(ROOT, path.join(tmp, 'unused'));
    expect(r).toMatchObject({ status: 0, stdout: expected, state: 'used' });
    expect(existsSync(path.join(tmp, 'unused'))).toBe(false);
  });

  it('takes the small lookup cache for codes and the full one for everything else', () => {
    const home = path.join(tmp, 'unused');
    const kind = (...args: string[]) => path.basename(run(ROOT, home, {}, args).file ?? '');
    expect(kind('GES.7018')).toBe('ges-err.cjs.lookup.cache');
    expect(kind('ges', '7018', '--json')).toBe('ges-err.cjs.lookup.cache');
    expect(kind('search', 'quota')).toBe('ges-err.cjs.full.cache');
    expect(kind('graph not running')).toBe('ges-err.cjs.full.cache');
    expect(kind('list')).toBe('ges-err.cjs.full.cache');
    // Both were made by the build, and hold what their runs compile: the full one much more.
    const size = (k: string) => readFileSync(path.join(ROOT, 'dist', `ges-err.cjs.${k}.cache`)).length;
    expect(size('full')).toBeGreaterThan(size('lookup') * 1.5);
    expect(existsSync(home)).toBe(false);
  });

  it('ignores a cache made for another copy of the file, then makes and uses its own', () => {
    const dir = install('copy');
    const home = path.join(tmp, 'home-copy');
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
    const made = readdirSync(path.join(home, 'ges-err'));
    expect(made).toHaveLength(1);
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'used' });
  });

  it('runs from source when V8 rejects the cache, and replaces it', () => {
    const dir = install('garbled');
    const home = path.join(tmp, 'home-garbled');
    run(dir, home);
    const cache = path.join(home, 'ges-err', readdirSync(path.join(home, 'ges-err'))[0]!);
    const bytes = readFileSync(cache);
    bytes.fill(0x55, bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 1); // keep the identity lines, garble the V8 data
    writeFileSync(cache, bytes);
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'rejected by V8' });
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'used' });
  });

  it('never uses a cache made before the bundle changed', () => {
    const dir = install('changed');
    const home = path.join(tmp, 'home-changed');
    run(dir, home);
    expect(run(dir, home).state).toBe('used');
    appendFileSync(path.join(dir, 'dist/ges-err.cjs'), '\n// changed\n');
    expect(run(dir, home)).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
  });

  it('writes nothing with GES_ERR_NO_CACHE', () => {
    const dir = install('nocache');
    const home = path.join(tmp, 'home-nocache');
    expect(run(dir, home, { GES_ERR_NO_CACHE: '1' })).toMatchObject({ status: 0, stdout: expected, state: 'none matched' });
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
