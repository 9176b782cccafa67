// Text that reaches the terminal from outside ges-err (user catalogs, pasted responses, echoed
// arguments) is made inert in every human format; JSON escapes it; odd arguments do nothing odd.

import { describe, expect, it } from 'vitest';
import { readFixture, runFake } from './helpers.js';

const files = { 'hostile.json': readFixture('catalogs/hostile.json') };
// Anything a terminal would act on, except the newline: C0 (incl. ESC, BEL, BS, CR), DEL, C1, bidi controls.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('text from a user catalog', () => {
  it.each(['plain', 'table', 'md', 'tsv'])('is inert in --format %s, with colour off', async (format) => {
    const r = await runFake(['--catalog', 'hostile.json', '--format', format, 'EVIL.0001'], { files });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(50);
    // TSV's own field separator is the one tab allowed.
    expect(format === 'tsv' ? r.stdout.replace(/\t/g, ' ') : r.stdout).not.toMatch(UNSAFE);
    // The escapes are shown, not hidden: a reader can see that the text held control characters.
    expect(r.stdout).toMatch(/\\{1,2}x1b\\?\]0;pwned\\{1,2}x07/);
  });

  it('is inert with colour on: only the tool\u2019s own SGR colour sequences remain', async () => {
    const r = await runFake(['--catalog', 'hostile.json', '--format', 'table', '--color', 'always', 'EVIL.0001'], { files });
    const withoutOwnColours = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutOwnColours).not.toMatch(UNSAFE);
    // Not one escape sequence other than SGR (ending in "m") survives.
    expect(r.stdout).not.toMatch(/\u001b(?!\[[0-9;]*m)/);
  });

  it('is escaped by JSON rules in --json, and parses back to the original text', async () => {
    const r = await runFake(['--catalog', 'hostile.json', '--json', 'EVIL.0001'], { files });
    expect(r.stdout).not.toMatch(UNSAFE);
    const doc = JSON.parse(r.stdout) as { results: { message: { en: string; zh: string } }[] };
    expect(doc.results[0]!.message.en).toContain('\u001b]0;pwned\u0007');
    expect(doc.results[0]!.message.zh).toBe('双向\u202egnp.exe覆盖');
  });

  it('is inert in list and --version', async () => {
    for (const argv of [['list', '--family', 'evil'], ['list', '--format', 'table'], ['--version']]) {
      const r = await runFake(['--catalog', 'hostile.json', ...argv], { files });
      expect(r.stdout, argv.join(' ')).not.toMatch(UNSAFE);
      expect(r.stderr, argv.join(' ')).not.toMatch(UNSAFE);
    }
  });
});

describe('echoed arguments', () => {
  it.each([
    ['GES.7025\u001b[2J'],
    ['--catalog', '\u001b]0;x\u0007.json', 'GES.7018'],
    ['list', 'GES.\u001b[31m'],
    ['--bogus\u001b[2J'],
  ])('never echo control characters: %j', async (...argv) => {
    const r = await runFake(argv);
    expect(r.stderr + r.stdout).not.toMatch(UNSAFE);
  });
});

describe('odd arguments', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'GES.__proto__', '__proto__.7018'])('%j as a code is just not a code (exit 1)', async (arg) => {
    const r = await runFake(['--json', arg]);
    expect([0, 1]).toContain(r.status);
    expect(() => JSON.parse(r.stdout || '{}')).not.toThrow();
    expect(r.stderr).not.toMatch(/TypeError|at .*\(/);
  });

  it('accepts many arguments', async () => {
    const args = Array.from({ length: 5000 }, (_, i) => `GES.${7000 + (i % 70)}`);
    const r = await runFake(['--json', ...args]);
    const doc = JSON.parse(r.stdout) as { results: unknown[] };
    expect(r.status).toBe(0);
    // Duplicates are explained once.
    expect(doc.results.length).toBeLessThanOrEqual(70);
  });

  it('survives a very long argument', async () => {
    const r = await runFake(['GES.7018' + 'x'.repeat(1_000_000)]);
    expect([0, 1]).toContain(r.status);
    expect(r.stderr.length).toBeLessThan(10_000);
  });

  it('explains a code that has a trailing comma or full stop', async () => {
    const r = await runFake(['--json', 'GES.7018,', 'GES.7000.']);
    expect((JSON.parse(r.stdout) as { results: { code: string }[] }).results.map((x) => x.code)).toEqual(['GES.7018', 'GES.7000']);
  });
});
