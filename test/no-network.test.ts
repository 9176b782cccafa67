// No network access at run time, ever: nothing in src imports a network module, the bundle requires
// none, and the running CLI, with every network entry point trapped, makes no attempt.

import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, spawnCli } from './helpers.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const NETWORK_MODULES = ['net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns', 'inspector'];
const forbiddenImport = new RegExp(`(?:from|import\\(|require\\()\\s*['"](?:node:)?(?:${NETWORK_MODULES.join('|')})(?:/[a-z]+)?['"]`);
const forbiddenCall = /\b(?:fetch|WebSocket|XMLHttpRequest|EventSource)\s*\(|\beval\s*\(|new\s+Function\s*\(/;

describe('no network, no dynamic code', () => {
  it('no source file imports a network module or calls fetch/eval/new Function', () => {
    const files = sourceFiles(path.join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, path.relative(ROOT, f)).not.toMatch(forbiddenImport);
      expect(text, path.relative(ROOT, f)).not.toMatch(forbiddenCall);
    }
  });

  it('the built bundle requires no network module', () => {
    const bundle = readFileSync(path.join(ROOT, 'dist/ges-err.cjs'), 'utf8');
    const required = [...bundle.matchAll(/require\("(?:node:)?([a-z_/]+)"\)/g)].map((m) => m[1]!.split('/')[0]!);
    expect(required.length).toBeGreaterThan(0);
    for (const m of required) expect(NETWORK_MODULES).not.toContain(m);
  });

  it.each([
    [['GES.7018']],
    [['--json', 'APIGW.0201', '7000']],
    [['list']],
    [['search', 'quota']],
    [['graph is not running']],
    [['GES.7025']],
    [['--help']],
    [['--version']],
  ])('ges-err %j makes no network attempt', (args) => {
    const r = spawnCli(args, { env: { NODE_OPTIONS: `--require ${fixture('deny-network.cjs')}` } });
    expect(r.stderr).not.toContain('NETWORK-ATTEMPT');
    expect([0, 1]).toContain(r.status);
  });

  it('the trap works: a script that does reach for the network is caught', () => {
    const r = spawnSync(process.execPath, ['--require', fixture('deny-network.cjs'), '-e', "require('node:net').connect(80, 'example.com')"], { encoding: 'utf8' });
    expect(r.stderr).toContain('NETWORK-ATTEMPT net.connect');
  });

  it('diagnosing piped input makes no network attempt', () => {
    const r = spawnCli([], { input: '{"error_code":"GES.7000","error_msg":"x"}', env: { NODE_OPTIONS: `--require ${fixture('deny-network.cjs')}` } });
    expect(r.stderr).not.toContain('NETWORK-ATTEMPT');
    expect(r.status).toBe(0);
  });
});
