// Completion scripts load in their shell and complete commands, options, option values and codes.
// bash is always there; zsh and fish are tested where installed (.ci/run installs them).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runFake } from './helpers.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'ges-err-completion-'));

async function script(shell: string): Promise<string> {
  const r = await runFake(['completion', shell]);
  expect(r.status).toBe(0);
  const file = path.join(dir, `ges-err.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

/** Ask bash's completion function what it offers for a command line (the last word being completed). */
function bashComplete(file: string, words: string[]): string[] {
  const arr = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _ges_err; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe('bash', () => {
  it('loads via process substitution, as the README says', () => {
    const r = spawnSync('bash', ['-c', `source <("${process.execPath}" "${BIN}" completion bash) && complete -p ges-err`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('complete -o default -F _ges_err ges-err');
  });
  it('completes commands and codes at the first word', async () => {
    const f = await script('bash');
    expect(bashComplete(f, ['ges-err', 'se'])).toEqual(['search']);
    const codes = bashComplete(f, ['ges-err', 'GES.70']);
    expect(codes).toContain('GES.7018');
    expect(codes.every((c) => c.startsWith('GES.70'))).toBe(true);
    expect(bashComplete(f, ['ges-err', 'APIGW.02'])).toEqual(['APIGW.0201']);
  });
  it("completes each command's own options and option values", async () => {
    const f = await script('bash');
    const searchOpts = bashComplete(f, ['ges-err', 'search', '-']);
    expect(searchOpts).toEqual(expect.arrayContaining(['--codes-only', '-l', '--count', '--json', '--family']));
    expect(bashComplete(f, ['ges-err', 'list', '-'])).not.toContain('--codes-only');
    expect(bashComplete(f, ['ges-err', '--lang', ''])).toEqual(['en', 'zh', 'both']);
    expect(bashComplete(f, ['ges-err', '--format', 't'])).toEqual(['table', 'tsv']);
    expect(bashComplete(f, ['ges-err', 'list', '--family', 'ges-'])).toEqual(['ges-management', 'ges-service', 'ges-undocumented']);
    expect(bashComplete(f, ['ges-err', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });
  it('includes codes from user catalogs loaded when it was generated', async () => {
    const r = await runFake(['completion', 'bash'], { env: { GES_ERR_CATALOG: 'u.json' }, files: { 'u.json': '{"schemaVersion":1,"entries":[{"code":"ACME.0042","variants":[{"httpStatus":500,"message":{"en":"x"}}]}]}' } });
    expect(r.stdout).toContain('ACME.0042');
  });
});

describe.runIf(has('zsh'))('zsh', () => {
  it('loads under compinit without errors and registers the function', async () => {
    const f = await script('zsh');
    const r = spawnSync('zsh', ['-c', `autoload -U compinit && compinit -u && source '${f}' && print -r -- $_comps[ges-err]`], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('_ges_err');
  });
});

describe.runIf(has('fish'))('fish', () => {
  it('completes codes, commands and option values', async () => {
    const f = await script('fish');
    const run = (line: string) => execFileSync('fish', ['-c', `source '${f}'; complete -C '${line}'`], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect(run('ges-err GES.701')).toContain('GES.7018');
    expect(run('ges-err sea')).toMatch(/^search\t/m);
    expect(run('ges-err --lang ').split('\n').map((l) => l.split('\t')[0]).filter(Boolean).sort()).toEqual(['both', 'en', 'zh']);
  });
});

describe('errors', () => {
  it('rejects an unknown shell with exit 2', async () => {
    const r = await runFake(['completion', 'tcsh']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('choose one of bash, zsh, fish');
  });
});
