// "Did you mean" for codes that are not in the catalog: the nearest known codes (edit distance,
// same family first, the nearest distance only), and, as carefully, the cases that get none.

import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog, type Catalog } from '../src/catalog/load.js';
import { parseCode } from '../src/code.js';
import { reportNotFound } from '../src/commands/output.js';
import type { Context } from '../src/context.js';
import { diagnoseSources } from '../src/diagnose/index.js';
import { notFoundFor } from '../src/explain.js';
import { makeStyle } from '../src/render/style.js';
import { editDistance, suggestCodes } from '../src/suggest.js';
import { forbidding, runFake } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());
const suggest = (code: string) => suggestCodes(catalog, parseCode(code)!);

describe('editDistance', () => {
  it.each([
    ['7018', '7018', 0],
    ['7018', '7081', 1],
    ['7018', '7019', 1],
    ['70188', '7018', 1],
    ['GSE', 'GES', 1],
    ['APIGW', 'GES', 5],
    ['', 'abc', 3],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('suggestCodes', () => {
  it.each([
    ['GES.7081', 'GES.7018', 'digits swapped'],
    ['GES.2076', 'GES.2067', 'digits swapped'],
    ['GES.70188', 'GES.7018', 'one digit away'],
    ['GES.7025', 'GES.7052', 'digits swapped'],
    ['APIGW.0309', 'APIGW.0308', 'one digit away'],
    ['GE.7018', 'GES.7018', 'same number, prefix GES'],
    ['GSE.7018', 'GES.7018', 'same number, prefix GES'],
    ['APIGX.0301', 'APIGW.0301', 'same number, prefix APIGW'],
  ])('%s: first %s (%s)', (code, first, reason) => {
    const s = suggest(code);
    expect(s[0]).toMatchObject({ code: first, reason });
  });

  it('keeps only the nearest distance, at most five', () => {
    for (const code of ['GES.7025', 'GES.0000', 'APIGW.0309', 'GES.70188', '7099', 'GES.701']) {
      const s = suggest(code);
      expect(s.length, code).toBeGreaterThan(0);
      expect(s.length, code).toBeLessThanOrEqual(5);
      expect(new Set(s.map((x) => x.distance)).size, code).toBe(1);
    }
    expect(suggest('GES.70188').map((s) => s.code)).toEqual(['GES.7018']);
    expect(suggest('GES.0000').map((s) => s.code)).toEqual(['GES.0001', 'GES.7000', 'GES.8000']);
  });

  it('puts the same family first', () => {
    // APIGW.0001 is one digit from APIGW.0101; GES.0001 has the same number under another prefix.
    expect(suggest('APIGW.0001')[0]!.code).toBe('APIGW.0101');
  });

  it.each([
    ['GES.9999', 'no code within two digits'],
    ['GES.1', 'far too short'],
    ['GES.123456', 'far too long'],
    ['APIGW.9999', 'nothing near in its family'],
    ['XYZ.7018', 'a prefix three edits from any known one'],
    ['DES.1234', 'a prefix one edit from GES, but GES.1234 does not exist'],
    ['GE.7025', 'a near prefix, but under an unknown prefix only the exact number counts, and GES.7025 does not exist'],
  ])('suggests nothing for %s (%s)', (code, why) => {
    expect(suggest(code), why).toEqual([]);
  });
});

describe('the notice on stderr', () => {
  it('lists the nearest codes with why and what they are', async () => {
    const r = await runFake(['GES.7081']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ges-err: GES\.7081 is not in the catalog\. Nearest known codes:\n {2}GES\.7018 {2}\(digits swapped\) {2}The number of graphs or edges reaches the upper limit\.\n/);
  });

  it.each(['GES.9999', 'APIGW.9999'])('says plainly that no code is close to %s, naming none', async (code) => {
    const r = await runFake([code]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`ges-err: ${code} is not in the catalog. No known code is close to it.\n`);
  });

  it('offers the same number under a known prefix for a slip of the prefix', async () => {
    const r = await runFake(['GE.7018']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ges-err: GE.7018 is not a GES or API Gateway code. Nearest known codes:\n  GES.7018  (same number, prefix GES)');
    expect(r.stderr).toContain('Otherwise, GE.* codes belong to another Huawei Cloud service');
  });

  it('reads a word with a short number in it ("ipv6", "sha256 base64") as free text, not as a code', async () => {
    for (const args of [['ipv6'], ['sha256', 'base64']]) {
      const r = await runFake(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`'${args.join(' ')}' is not an error code, and no message`);
    }
    const http2 = await runFake(['http2', '--json']);
    expect(http2.status).toBe(0);
    expect((JSON.parse(http2.stdout) as { results: { code: string }[] }).results.map((x) => x.code)).toContain('APIGW.0607');
    // Still codes: a known prefix (a slip), four digits, or a separator typed.
    expect((await runFake(['GES18'])).stderr).toContain('GES.18 is not in the catalog');
    expect((await runFake(['ecs0001'])).stderr).toContain('ECS.0001 is not a GES or API Gateway code');
    expect((await runFake(['IPV.6'])).stderr).toContain('IPV.6 is not a GES or API Gateway code');
  });

  it('reads "HTTP 404", "code:7018" and "HTTP.404" as the number alone, not as codes of an HTTP or CODE service', async () => {
    const code = await runFake(['code:7018']);
    expect(code.status).toBe(0);
    expect(code.stdout).toMatch(/^GES\.7018 /);
    expect((await runFake(['error', 'code', '7018'])).stdout).toMatch(/^GES\.7018 /);
    // "HTTP 404", "status 404": a status, said first and alone (codes of a similar number mean nothing).
    for (const args of [['HTTP', '404'], ['status', '404'], ['ＨＴＴＰ ４０４']]) {
      const r = await runFake(args);
      const typed = args.length === 2 ? args.join(' ') : 'HTTP 404';
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({
        args,
        status: 1,
        stderr: `ges-err: ${typed} is an HTTP status (Not Found): to list the codes documented with it, run: ges-err list --status 404\n`,
      });
    }
    // In one word ("HTTP.404") or after another lead word ("error 404"): the number, its nearest codes, then the status.
    for (const args of [['HTTP.404'], ['error', '404']]) {
      const r = await runFake(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).not.toContain('another Huawei Cloud service');
      expect(r.stderr).toMatch(/^ges-err: 404 is not in the catalog\. Nearest known codes:\n  APIGW\.0404 /);
      expect(r.stderr).toContain('404 is also an HTTP status (Not Found)');
    }
    // A status GES and API Gateway do not return: still a status; beside a code, both are answered.
    expect((await runFake(['HTTP', '302'])).stderr).toBe('ges-err: HTTP 302 is an HTTP status: to list the codes documented with it, run: ges-err list --status 302\n');
    const both = await runFake(['--json', 'HTTP', '503', 'GES.7018']);
    expect(both.status).toBe(0);
    const doc = JSON.parse(both.stdout) as { results: { code: string }[]; notFound: { input: string; code: string; suggestions: unknown[]; httpStatus?: number }[] };
    expect(doc.results.map((x) => x.code)).toEqual(['GES.7018']);
    expect(doc.notFound).toMatchObject([{ input: 'HTTP 503', code: '503', suggestions: [], httpStatus: 503 }]);
    // Not statuses: four digits after HTTP, a number out of the statuses' range.
    expect((await runFake(['HTTP', '7018'])).stdout).toMatch(/^GES\.7018 /);
    expect((await runFake(['status', '999'])).stderr).toBe('ges-err: 999 is not in the catalog. No known code is close to it.\n');
    // Unless a catalog has codes under that word: then it is their prefix (read as a bare number,
    // ERR.7018 would bring GES.7018 along).
    const files = { 'err.json': JSON.stringify({ schemaVersion: 1, id: 'err', family: 'err', entries: [{ code: 'ERR.7018', variants: [{ httpStatus: 500, message: { en: 'Ours.' } }] }] }) };
    const ours = await runFake(['--catalog', 'err.json', '--json', 'ERR.7018'], { files });
    expect(ours.status).toBe(0);
    expect((JSON.parse(ours.stdout) as { results: { code: string }[] }).results.map((r) => r.code)).toEqual(['ERR.7018']);
  });

  it('points free text with an HTTP status in it ("HTTP 403 Forbidden") at the codes documented with it', async () => {
    const r = await runFake(['HTTP 403 Forbidden']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('ges-err: 403 is an HTTP status (Forbidden): to list the codes documented with it, run: ges-err list --status 403\n');
    // A number in a sentence that says nothing of HTTP is no status.
    expect((await runFake(['graph limit 500 vertices'])).stderr).not.toContain('HTTP status');
  });

  it('points a bare HTTP status (503) at the codes documented with it, as well as the nearest codes', async () => {
    const r = await runFake(['503']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ges-err: 503 is not in the catalog\. Nearest known codes:\n {2}GES\.8503 /);
    expect(r.stderr).toContain('  503 is also an HTTP status (Service Unavailable): to list the codes documented with it, run: ges-err list --status 503\n');
    const j = await runFake(['--json', '429']);
    expect((JSON.parse(j.stdout) as { notFound: { hint: string | null }[] }).notFound[0]!.hint).toBe(
      '429 is also an HTTP status (Too Many Requests): to list the codes documented with it, run: ges-err list --status 429',
    );
    // The command it names does list codes.
    const listed = await runFake(['list', '--status', '503']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/ 503 /);
    // Not for statuses GES and API Gateway do not return, four digits, or a prefix.
    for (const other of ['302', '999', '5031', 'GES.503']) expect((await runFake([other])).stderr, other).not.toContain('HTTP status');
  });

  it.each([
    ['XYZ.0001', 'XYZ.* codes belong to another Huawei Cloud service'],
    ['APIG.0301', 'dedicated API Gateway instance'],
  ])('names no code for %s, another service', async (code, hint) => {
    const r = await runFake([code]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(hint);
    expect(r.stderr).not.toContain('Nearest');
    expect(r.stderr).not.toMatch(/\n {2}(GES|APIGW)\./);
    const j = await runFake(['--json', code]);
    expect((JSON.parse(j.stdout) as { notFound: { suggestions: unknown[] }[] }).notFound[0]!.suggestions).toEqual([]);
  });
});

describe('suggestions read the code list, not the entries', () => {
  // A 50,000-code user catalog took 1.4 s and 200 MB to suggest for one unknown code, and diagnose
  // of a log with other services' codes twice that, when suggestions parsed every entry.
  const codesOnly = (c: Catalog): Catalog => forbidding(c, ['entries', 'byCode', 'byNumber', 'heads']);
  const guarded = codesOnly(buildCatalog(loadBundledCatalogs()));

  it.each(['GES.7081', 'GES.7099', 'GSE.7018', 'APIGW.0110', 'GE.7018', 'VPC.0201', 'GES.70181'])('%s: the same suggestions from the code list', (code) => {
    expect(suggestCodes(guarded, parseCode(code)!)).toEqual(suggest(code));
  });

  it('stderr names each suggestion with its message, parsing only the suggested entries', () => {
    let err = '';
    const ctx = { catalog: () => guarded, style: makeStyle(false), err: (s: string) => void (err += s) } as unknown as Context;
    reportNotFound(ctx, [notFoundFor(guarded, 'GES.7081', parseCode('GES.7081')!)]);
    expect(err).toContain('GES.7018  (digits swapped)  The number of graphs or edges reaches the upper limit.');
  });

  it('diagnose reports unknown and other services’ codes, with suggestions, from the code list', async () => {
    const text = '{"error_code":"GES.7081","error_msg":"x"}\n{"error_code":"VPC.0201","error_msg":"y"}\n{"errorCode":"GES.7018"}\n';
    const { report } = await diagnoseSources(guarded, [{ name: '-', open: async function* () { yield Buffer.from(text); } }]);
    expect(report.rows.map((r) => [r.code, r.kind])).toEqual([
      ['GES.7081', 'not-in-catalog'],
      ['VPC.0201', 'other-service'],
      ['GES.7018', 'explained'],
    ]);
    expect(report.notFound[0]!.suggestions).toEqual(suggest('GES.7081'));
    expect(report.notFound[0]!.suggestions[0]!.code).toBe('GES.7018');
  });
});
