// Every way a person writes a code resolves to the same code; things that are not codes do not.

import { describe, expect, it } from 'vitest';
import { codesWithin, foldCodeText, parseCode, parseCodeArgs } from '../src/code.js';
import { runFake } from './helpers.js';

describe('parseCode', () => {
  it.each([
    'GES.7018',
    'ges.7018',
    'GES7018',
    'GES-7018',
    'GES_7018',
    'GES 7018',
    'GES:7018',
    'GES/7018',
    'ＧＥＳ．７０１８', // full-width, as a Chinese IME types it
    'ＧＥＳ。７０１８', // ideographic full stop
    'ＧＥＳ－７０１８',
    'GES–7018', // en dash
    'GES·7018',
    ' GES.7018 ',
    '"GES.7018"',
    "'GES.7018'",
    '“GES.7018”',
    '「GES.7018」',
    '(GES.7018)',
    'GES.7018,',
    'GES.7018.',
    'GES.7018。',
    '`GES.7018`',
  ])('%j -> GES.7018', (input) => {
    expect(parseCode(input)).toEqual({ prefix: 'GES', number: '7018', canonical: 'GES.7018' });
  });

  it.each([
    ['7018', { prefix: null, number: '7018', canonical: '7018' }],
    ['７０１８', { prefix: null, number: '7018', canonical: '7018' }],
    ['apigw.0201', { prefix: 'APIGW', number: '0201', canonical: 'APIGW.0201' }],
    ['vpc.0201', { prefix: 'VPC', number: '0201', canonical: 'VPC.0201' }],
    ['GES.70', { prefix: 'GES', number: '70', canonical: 'GES.70' }],
  ])('%j -> %j', (input, expected) => {
    expect(parseCode(input)).toEqual(expected);
  });

  it.each(['GES', 'graph is not running', 'GES.7018x', 'GES..', '', '   ', 'GES.123456789', '__proto__', 'constructor', 'x'.repeat(100) + '.1'])(
    '%j is not a code',
    (input) => {
      expect(parseCode(input)).toBeUndefined();
    },
  );
});

describe('parseCodeArgs', () => {
  it('joins a prefix and a number given as two arguments', () => {
    expect(parseCodeArgs(['GES', '7018'])?.map((c) => c.code.canonical)).toEqual(['GES.7018']);
    expect(parseCodeArgs(['ＧＥＳ', '７０１８'])?.map((c) => c.code.canonical)).toEqual(['GES.7018']);
  });
  it('reads several codes, in separate arguments or one', () => {
    expect(parseCodeArgs(['GES.7018', 'ges-7000', '0301'])?.map((c) => c.code.canonical)).toEqual(['GES.7018', 'GES.7000', '0301']);
    expect(parseCodeArgs(['GES.7018, GES.7000'])?.map((c) => c.code.canonical)).toEqual(['GES.7018', 'GES.7000']);
    expect(parseCodeArgs(['GES.7018，GES.7000'])?.map((c) => c.code.canonical)).toEqual(['GES.7018', 'GES.7000']);
  });
  it('keeps what the user typed for messages', () => {
    expect(parseCodeArgs(['GES', '7018'])?.[0]?.input).toBe('GES 7018');
  });
  it('reads the number alone after words that name no service: "HTTP 404", "error code 7018"', () => {
    const read = (args: string[]) => parseCodeArgs(args)?.map((c) => [c.input, c.code.prefix, c.code.number]);
    expect(read(['HTTP', '404'])).toEqual([['404', null, '404']]);
    expect(read(['status 403'])).toEqual([['403', null, '403']]);
    expect(read(['error', 'code', '7018'])).toEqual([['7018', null, '7018']]);
    expect(read(['ＥＲＲＯＲ', '７０１８'])).toEqual([['7018', null, '7018']]);
    // A lead word alone, or before a word, is no code; a real prefix still joins its number.
    expect(parseCodeArgs(['error'])).toBeUndefined();
    expect(parseCodeArgs(['error', 'quota'])).toBeUndefined();
    expect(read(['GES', '7018'])).toEqual([['GES 7018', 'GES', '7018']]);
  });
  it('says which number was called an HTTP status, by which word as typed', () => {
    const leads = (args: string[]) => parseCodeArgs(args)?.map((c) => c.statusLead);
    expect(leads(['HTTP', '404'])).toEqual(['HTTP']);
    expect(leads(['status', '403', 'GES.7018'])).toEqual(['status', undefined]);
    expect(leads(['https', 'error', '503'])).toEqual(['https']);
    expect(leads(['error', 'code', '7018'])).toEqual([undefined]);
    expect(leads(['HTTP.404'])).toEqual([undefined]);
  });

  it('gives up as soon as one word is not a code', () => {
    expect(parseCodeArgs(['graph', 'is', 'not', 'running'])).toBeUndefined();
    expect(parseCodeArgs(['GES.7018', 'quota'])).toBeUndefined();
    expect(parseCodeArgs([])).toBeUndefined();
    expect(parseCodeArgs(['  '])).toBeUndefined();
  });
});

describe('foldCodeText', () => {
  it('strips nested quotes and brackets and trailing punctuation', () => {
    expect(foldCodeText('「"GES.7018"」,')).toBe('GES.7018');
  });
});

describe('codesWithin (did you mean, for text that holds a code)', () => {
  it.each([
    ['GES.7018x', ['GES.7018']],
    ['ges_7018abc', ['GES.7018']],
    ['errorCode=GES.7018; then APIGW-0201', ['GES.7018', 'APIGW.0201']],
    ['ＧＥＳ．７０１８号', ['GES.7018']],
    ['GES.7018 GES.7018x', ['GES.7018']],
  ])('%j', (text, codes) => {
    expect(codesWithin(text).map((c) => c.canonical)).toEqual(codes);
  });

  it.each(['GES.70189', 'XGES', 'graph is not running', '12345', 'a'.repeat(5000) + 'GES.7018', 'GES.OOOO', 'GES.7O18x', 'Hello world', 'GOOD'])('finds none in %j', (text) => {
    expect(codesWithin(text)).toEqual([]);
  });

  it.each([
    ['GES.7O18', 'GES.7018', [['O', '0']]],
    ['ges-7o18', 'GES.7018', [['o', '0']]],
    ['error GES 7OI8 again', 'GES.7018', [['O', '0'], ['I', '1']]],
    ['APIGW.O1l1', 'APIGW.0111', [['O', '0'], ['l', '1']]],
    ['ＧＥＳ．７Ｏ１８', 'GES.7018', [['O', '0']]],
  ])('reads letters that look like digits in %j as those digits, and says which', (text, canonical, pairs) => {
    expect(codesWithin(text)).toEqual([{ ...parseCode(canonical)!, lookalikes: pairs.map(([letter, digit]) => ({ letter, digit })) }]);
  });

  it('keeps a code written with digits free of lookalikes, and each code once', () => {
    expect(codesWithin('GES.7018 and GES.7O18')).toEqual([parseCode('GES.7018')]);
  });

  it('turns a code with trailing garbage into a suggestion on stderr (exit 1, nothing on stdout)', async () => {
    const r = await runFake(['GES.7018x']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Did you mean 'ges-err GES.7018'?");
    // A code-shaped run the catalog does not know is no suggestion.
    const unknown = await runFake(['GES.9999x']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).not.toContain('Did you mean');
  });

  it('suggests the code a letter O or l was typed into, naming the letters (exit 1, nothing on stdout)', async () => {
    const r = await runFake(['ges.7O18']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Did you mean 'ges-err GES.7018' (reading O as 0)?");
    const two = await runFake(['APIGW-O1OI']);
    expect(two.stderr).toContain("Did you mean 'ges-err APIGW.0101' (reading O as 0 and I as 1)?");
    // Read so, a code the catalog does not know is no suggestion.
    expect((await runFake(['GES.9O99'])).stderr).not.toContain('Did you mean');
  });
});
