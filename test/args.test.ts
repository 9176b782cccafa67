// The fast argument parser must agree with the commander program (the reference) wherever it
// answers at all; whatever it does not handle it leaves to commander.

import { describe, expect, it } from 'vitest';
import { fastParse } from '../src/cli/parse.js';
import { commanderParse } from '../src/cli/program.js';

const CASES: string[][] = [
  [],
  ['GES.7018'],
  ['GES', '7018'],
  ['GES.7018', 'GES.7000', '--json'],
  ['--json', 'GES.7018'],
  ['--lang', 'zh', 'GES.7018'],
  ['--lang=en', 'GES.7018'],
  ['--color', 'always', '--format', 'table', 'GES.7018'],
  ['--catalog', 'a.json', '--catalog=b.json', 'X.0001'],
  ['--width', '80', 'GES.7018'],
  ['explain', 'GES.7018'],
  ['search', 'quota'],
  ['search', 'quota', '-l'],
  ['search', '-i', '-w', 'graph', 'running'],
  ['search', '-E', 'EIP|弹性IP', '-c'],
  ['search', '--status', '5xx', '--family', 'apigw', 'backend'],
  ['--json', 'search', 'quota'],
  ['search', 'quota', '--json', '--lang', 'zh'],
  ['list'],
  ['list', 'GES.70'],
  ['list', '--family', 'apigw', '--json'],
  ['diagnose'],
  ['diagnose', '-'],
  ['diagnose', 'a.log', 'b.log', '--exit-status'],
  ['--exit-status'],
  ['--version'],
  ['-V'],
  ['--exit-status', '--json', '-'],
  ['--exit-status', 'diagnose', 'a.log'],
  ['completion', 'bash'],
  ['graph', 'is', 'not', 'running'],
  ['-'],
];

describe('fastParse agrees with commander', () => {
  it.each(CASES)('%j', (...argv) => {
    const fast = fastParse(argv);
    const ref = commanderParse(argv);
    expect(fast, 'the fast path should handle this common command line').toBeDefined();
    expect(fast).toEqual(ref);
  });
});

describe('fastParse leaves the unusual to commander', () => {
  it.each([
    [['--help']],
    [['-h']],
    [['search', '--help']],
    [['--version', '--json']],
    [['--bogus']],
    [['search', '-il', 'x']],
    [['--lang', 'fr', 'GES.7018']],
    [['search']],
    [['completion']],
    [['list', 'a', 'b']],
    [['--', '--json']],
    [['--json=yes']],
    [['--lang']],
  ])('%j', (argv) => {
    expect(fastParse(argv)).toBeUndefined();
  });
});

describe('commander program', () => {
  it('reports usage errors as data, not by exiting', () => {
    expect(commanderParse(['--bogus'])).toEqual({ kind: 'usage-error', message: expect.stringContaining("unknown option '--bogus'") });
    expect(commanderParse(['--lang', 'fr', 'x'])).toEqual({ kind: 'usage-error', message: expect.stringContaining('Allowed choices are en, zh, both') });
    expect(commanderParse(['search'])).toEqual({ kind: 'usage-error', message: expect.stringContaining("missing required argument 'pattern'") });
  });
  it('accepts bundled short flags', () => {
    expect(commanderParse(['search', '-il', 'x'])).toMatchObject({ kind: 'run', command: 'search', options: { ignoreCase: true, codesOnly: true } });
  });
  it('names the three jobs in the first lines of --help, with examples', () => {
    const help = commanderParse(['--help']);
    expect(help.kind).toBe('help');
    const text = help.kind === 'help' ? help.text : '';
    const head = text.split('\n').slice(0, 6).join('\n');
    for (const job of ['explain', 'search', 'diagnose']) expect(head).toContain(job);
    expect(text).toContain('Examples:');
    expect(text).toContain('Exit status');
  });
  it.each(['search', 'list', 'diagnose', 'completion'])('gives examples in `%s --help`', (cmd) => {
    const help = commanderParse([cmd, '--help']);
    expect(help.kind === 'help' && help.text).toContain('Examples:');
  });
});

describe('help text is interface', () => {
  it.each([[[]], [['search']], [['list']], [['diagnose']], [['completion']], [['explain']]])('`ges-err %j --help` is unchanged (snapshot)', (cmd) => {
    const help = commanderParse([...cmd, '--help']);
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' ? help.text : '').toMatchSnapshot();
  });
});
