// End to end: the executable named by package.json's "bin", spawned as a user runs it, checked on
// stdout, stderr and exit status separately. Most behaviour is tested in-process elsewhere.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ANSI_ESCAPE, BIN, VERSION, readFixture, runFake, spawnCli } from './helpers.js';
import { displayWidth } from '../src/render/width.js';

const SEED = readFixture('seed-management-plane.txt')
  .split('\n')
  .filter((l) => /^\d{3} \| GES\./.test(l))
  .map((l) => {
    const [status, code, message, description] = l.split(' | ').map((c) => c.replace(/\s*\|?\s*$/, '').trim());
    return { status: Number(status), code: code!, message: message!, description: description! };
  });

describe('ges-err CODE', () => {
  it('explains GES.7018 in both languages', () => {
    const r = spawnCli(['GES.7018']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('GES.7018');
    expect(r.stdout).toContain('HTTP 400');
    expect(r.stdout).toContain('The number of graphs or edges reaches the upper limit.');
    expect(r.stdout).toContain('图个数或者边个数达到配额');
    expect(r.stdout).toContain('请调用查询配额接口,查看图是否还有可用配额。');
    expect(r.stdout).toContain('Call the quota query API');
    expect(r.stdout).toContain('https://support.huaweicloud.com/');
  });

  it('explains all 62 codes of the seed in one call, matching it exactly in --json', () => {
    const r = spawnCli(['--json', ...SEED.map((s) => s.code)]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; results: { code: string; httpStatus: number; family: string; message: { en: string; zh: string }; remediation: { en: string[]; zh: string[] }; docUrl: string; notes: unknown[] }[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.results).toHaveLength(62);
    for (const [i, s] of SEED.entries()) {
      const res = doc.results[i]!;
      expect(res.code).toBe(s.code);
      expect(res.httpStatus).toBe(s.status);
      expect(res.family).toBe('ges-management');
      expect(res.message).toEqual({ en: s.message, zh: s.description });
      expect(res.remediation.en.length, s.code).toBeGreaterThan(0);
      expect(res.remediation.zh.length, s.code).toBeGreaterThan(0);
      expect(res.docUrl).toMatch(/^https:\/\/support\.huaweicloud\.com\//);
      expect(Array.isArray(res.notes)).toBe(true);
    }
  });

  it.each([['ges-7018'], ['7018'], ['GES', '7018'], ['ＧＥＳ．７０１８'], ['"GES.7018"'], [' GES_7018 ']])('resolves %j', (...args) => {
    const r = spawnCli(['--json', ...args]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { results: { code: string }[] }).results.map((x) => x.code)).toEqual(['GES.7018']);
  });

  it('says a well-formed unknown code is unknown, with the nearest codes on stderr, exit 1', () => {
    const r = spawnCli(['GES.7025']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('GES.7025 is not in the catalog');
    expect(r.stderr).toContain('GES.7024');
    expect(r.stderr).toContain('GES.7027');
  });

  it('keeps --json parseable when nothing is found', () => {
    const r = spawnCli(['--json', 'GES.7025']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: unknown[]; notFound: { code: string; suggestions: { code: string }[] }[] };
    expect(doc.results).toEqual([]);
    expect(doc.notFound[0]!.code).toBe('GES.7025');
    expect(doc.notFound[0]!.suggestions.map((s) => s.code)).toContain('GES.7024');
  });
});

describe('colour and layout', () => {
  it('prints no escape sequence under NO_COLOR, nor in a pipe', () => {
    expect(spawnCli(['GES.7018'], { env: { NO_COLOR: '1' } }).stdout).not.toMatch(ANSI_ESCAPE);
    expect(spawnCli(['GES.7018', '--format', 'table'], { env: { NO_COLOR: undefined } }).stdout).not.toMatch(ANSI_ESCAPE);
    expect(spawnCli(['GES.7018'], { env: { NO_COLOR: undefined } }).stdout).not.toMatch(ANSI_ESCAPE);
  });
  it('colours when forced', () => {
    expect(spawnCli(['GES.7018'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).toMatch(ANSI_ESCAPE);
    expect(spawnCli(['GES.7018', '--color', 'always']).stdout).toMatch(ANSI_ESCAPE);
    expect(spawnCli(['GES.7018', '--color', 'never'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI_ESCAPE);
  });
  it('draws on a terminal, with the build\'s stand-ins for colour detection, what chalk and cli-table3 draw', async () => {
    // The build replaces chalk's colour detection and @colors/colors (cli-table3's border colours)
    // with stand-ins (scripts/build.mjs); the sources here use the real modules. @colors/colors
    // decides by itself whether to colour; the build's stand-in colours whenever ges-err asks.
    // (cli-table3's own copy, which it loads with require).
    const colors = createRequire(createRequire(import.meta.url).resolve('cli-table3'))('@colors/colors/safe') as { enable(): void };
    colors.enable();
    for (const args of [['GES.7018'], ['APIGW.0201', '--lang', 'en'], ['list', 'GES.70'], ['search', 'quota']]) {
      const live = await runFake([...args, '--width', '90'], { isTTY: true, columns: 90 });
      // `script` gives the child a pseudo-terminal for stdout (which turns \n into \r\n).
      const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm' };
      delete env.NO_COLOR;
      delete env.FORCE_COLOR;
      const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" ${args.join(' ')} --width 90`, '/dev/null'], { encoding: 'utf8', timeout: 10_000, env: env as NodeJS.ProcessEnv });
      if (args[0] !== 'search') expect(live.stdout).toMatch(/\u001b\[90m┌/); // a table, its border coloured
      expect({ args, out: r.stdout.replace(/\r\n/g, '\n') }).toEqual({ args, out: live.stdout });
    }
  });

  it.each([40, 72, 100, 160])('draws every code as tables that fit %i columns', (width) => {
    const codes = JSON.parse(spawnCli(['list', '--json']).stdout).results.map((x: { code: string }) => x.code) as string[];
    const r = spawnCli(['--format', 'table', '--width', String(width), ...codes]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(codes.length * 5);
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
    // Right borders line up: every table line is as wide as its table.
    for (const t of r.stdout.split(/\n(?=┌)/)) expect(new Set(t.trimEnd().split('\n').map(displayWidth)).size).toBe(1);
  });
});

describe('the Unix contract', () => {
  it('--help goes to stdout with exit 0', () => {
    const r = spawnCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: ges-err');
    expect(r.stderr).toBe('');
  });
  it('--version names the tool, the catalog and the code counts per family', () => {
    const r = spawnCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`ges-err ${VERSION}`);
    expect(r.stdout).toMatch(/GES management plane\s+62 codes/);
    expect(r.stdout).toMatch(/GES service plane\s+64 codes/);
    expect(r.stdout).toMatch(/API Gateway \(APIGW\)\s+35 codes \(41 variants\)/);
  });
  it('an unknown option exits 2 with a hint on stderr', () => {
    const r = spawnCli(['--bogus']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stderr).toContain('--help');
  });
  it('an empty argument (`ges-err "$CODE"` with CODE unset) exits 2 with usage, not "matches nothing"', () => {
    for (const args of [[''], [' ', '\t'], ['--json', '']]) {
      const r = spawnCli(args);
      expect({ args, status: r.status, stdout: r.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(r.stderr).toMatch(/^ges-err: the arguments? (is|are) empty: nothing to explain\.\nUsage: ges-err CODE\.\.\./);
    }
    // Beside a code, an empty argument is nothing: the code is explained.
    const mixed = spawnCli(['', 'GES.7018']);
    expect(mixed.status).toBe(0);
    expect(mixed.stdout).toMatch(/^GES\.7018 /);
  });
  it('with stdin closed and no argument, reports empty input (exit 1) without waiting', () => {
    // Node reopens a closed fd 0 as /dev/null: that is empty input, as in `ges-err < /dev/null`.
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" 0<&-`], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/empty|no error/i);
  });
  it.runIf(existsSync('/dev/full'))('says it cannot write the output when the disk is full (exit 2), and calls it no internal error', () => {
    for (const args of [['GES.7018'], ['list', '--format', 'plain'], ['search', 'quota']]) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args.join(' ')} > /dev/full`], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } });
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(/^ges-err: cannot write the output: ENOSPC: no space left on device/);
      expect(r.stderr).not.toContain('internal error');
    }
  });

  it('ends quietly with 0 when the reader goes away', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" list | head -1`], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe('');
  });
});
