// The built CLI's fast paths behave as the plain ones: a user catalog served from its cached pack
// gives the same output as one validated afresh, edits show at once, broken files are reported,
// and output written straight to the descriptors ends quietly when the reader goes away.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, spawnCli } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ges-err-fast-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const catalog = (msg: string, extra: object[] = []) =>
  JSON.stringify({
    schemaVersion: 1,
    id: 'acme',
    family: 'acme',
    familyName: { en: 'ACME', zh: 'ACME' },
    entries: [{ code: 'ACME.0001', variants: [{ httpStatus: 400, message: { en: msg } }] }, { code: 'GES.7018', variants: [{ httpStatus: 429, message: { en: 'Overridden.' } }] }, ...extra],
  });

describe('user catalog through the cache', () => {
  const file = path.join(tmp, 'acme.json');
  const cache = path.join(tmp, 'cache');
  const env = { XDG_CACHE_HOME: cache };
  const args = ['--catalog', file, '--json', 'ACME.0001', 'GES.7018', '0001'];

  it('answers the same from the pack as from the file, and sees edits', async () => {
    writeFileSync(file, catalog('first'));
    // A file changed in the last 3 s is not cached (RACY_MS in src/catalog/cache.ts); its change
    // time cannot be set back, so wait.
    await new Promise((r) => setTimeout(r, 3100));
    const fresh = spawnCli(args, { env: { GES_ERR_NO_CACHE: '1' } });
    const first = spawnCli(args, { env });
    expect(readdirSync(path.join(cache, 'ges-err', 'catalogs'))).toHaveLength(1);
    const second = spawnCli(args, { env });
    expect(first).toEqual(fresh);
    expect(second).toEqual(fresh);
    expect(JSON.parse(second.stdout).results.map((r: { code: string }) => r.code)).toEqual(['ACME.0001', 'GES.7018', 'GES.0001']);
    writeFileSync(file, catalog('second'));
    expect(JSON.parse(spawnCli(args, { env }).stdout).results[0].message.en).toBe('second');
  });

  it('reports a catalog broken after it was cached', () => {
    writeFileSync(file, catalog('ok'));
    spawnCli(args, { env });
    writeFileSync(file, catalog('dup', [{ code: 'acme.0001', variants: [{ httpStatus: 400, message: { en: 'again' } }] }]));
    const r = spawnCli(args, { env });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/acme\.json:1:\d+: duplicate code acme\.0001/);
  });
});

describe('output straight to the descriptors', () => {
  it('exits 0 with nothing on stderr when the reader closes the pipe early', () => {
    // ges-err's own status, not head's: the subshell reports it on fd 3.
    const r = spawnSync('sh', ['-c', `("${process.execPath}" "${BIN}" list --json; echo "status=$?" >&3) 3>&2 | head -c 100 >/dev/null`], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('status=0\n');
  });

  it('delivers large output whole', () => {
    const r = spawnCli(['list', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).results.length).toBeGreaterThan(150);
  });
});
