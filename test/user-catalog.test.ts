// User catalogs (--catalog FILE, GES_ERR_CATALOG): merged over the bundled tables with the user's
// entries winning and marked as such; a broken file is rejected whole, with FILE:LINE:COL.

import { Ajv } from 'ajv';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUserCatalog, CatalogError } from '../src/catalog/load.js';
import { ROOT, readFixture, runFake, spawnCli, fixture } from './helpers.js';

const internal = readFixture('catalogs/internal.json');
const vpc = readFixture('catalogs/vpc.json');
const files = { 'internal.json': internal, 'vpc.json': vpc };

type Doc = { results: { code: string; family: string; message: { en: string | null; zh: string | null }; catalog: { user: boolean; path: string | null; overrides: string | null }; notes: { en: string | null }[]; provenance: { message: { en: { origin: string } | null } } }[] };

describe('merging user catalogs', () => {
  it('adds new codes, marked as coming from the user catalog', async () => {
    const r = await runFake(['--catalog', 'internal.json', '--json', 'ACME.0042'], { files });
    expect(r.status).toBe(0);
    const res = (JSON.parse(r.stdout) as Doc).results[0]!;
    expect(res).toMatchObject({ code: 'ACME.0042', family: 'acme', catalog: { user: true, path: 'internal.json' } });
    expect(res.provenance.message.en?.origin).toBe('user');
  });

  it("lets the user's entry win over the bundled one, and says which it overrides", async () => {
    const r = await runFake(['--catalog', 'internal.json', '--json', 'GES.7018'], { files });
    const res = (JSON.parse(r.stdout) as Doc).results[0]!;
    expect(res.message.en).toBe('Graph quota reached (ACME wording).');
    expect(res.catalog).toMatchObject({ user: true, overrides: 'ges-management-plane' });
    expect(res.notes[0]!.en).toContain('PLAT ticket');
    const plain = await runFake(['--catalog', 'internal.json', 'GES.7018'], { files });
    expect(plain.stdout).toContain('user catalog: internal.json');
    expect(plain.stdout).toContain('(from user catalog internal.json)');
  });

  it('applies later catalogs over earlier ones: GES_ERR_CATALOG first, then --catalog in order', async () => {
    const both = await runFake(['--json', 'ACME.0042'], { files, env: { GES_ERR_CATALOG: 'internal.json' } });
    expect((JSON.parse(both.stdout) as Doc).results[0]!.message.en).toBe('Graph gateway is draining.');
    const over = await runFake(['--catalog', 'vpc.json', '--json', 'ACME.0042'], { files, env: { GES_ERR_CATALOG: 'internal.json' } });
    expect((JSON.parse(over.stdout) as Doc).results[0]!.message.en).toBe('Overridden by a later catalog.');
    const reversed = await runFake(['--catalog', 'vpc.json', '--catalog', 'internal.json', '--json', 'ACME.0042'], { files });
    expect((JSON.parse(reversed.stdout) as Doc).results[0]!.message.en).toBe('Graph gateway is draining.');
  });

  it('reads several paths from GES_ERR_CATALOG separated by ":"', async () => {
    const r = await runFake(['--json', 'VPC.0201', 'ACME.0042'], { files, env: { GES_ERR_CATALOG: 'internal.json::vpc.json' } });
    expect((JSON.parse(r.stdout) as Doc).results.map((x) => x.code)).toEqual(['VPC.0201', 'ACME.0042']);
  });

  it('makes a code of another service explainable once a catalog has it', async () => {
    const without = await runFake(['VPC.0201'], { files });
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('another Huawei Cloud service');
    const withIt = await runFake(['--catalog', 'vpc.json', 'VPC.0201'], { files });
    expect(withIt.status).toBe(0);
    expect(withIt.stdout).toContain('Invalid parameter (example entry of a user catalog).');
  });

  it('shows user catalogs and their families in --version', async () => {
    const r = await runFake(['--catalog', 'internal.json', '--version'], { files });
    expect(r.stdout).toMatch(/ACME graph gateway\s+2 codes\s+from internal\.json/);
  });

  it('loads the README example catalog file through the real executable', () => {
    const r = spawnCli(['--catalog', fixture('catalogs/internal.json'), 'ACME.0042']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Graph gateway is draining.');
  });
});

describe('broken user catalogs', () => {
  const cases: [string, string, RegExp][] = [
    ['invalid JSON', '{\n  "schemaVersion": 1,\n  "entries": [\n    { "code": "X.1" ,, }\n  ]\n}\n', /^bad\.json:4:22: invalid JSON/],
    ['truncated JSON', '{ "schemaVersion": 1, "entries": [', /^bad\.json:1:35: invalid JSON: unexpected end of file/],
    ['wrong schemaVersion', '{ "schemaVersion": 2, "entries": [] }', /^bad\.json:1:20: schemaVersion must be 1/],
    ['missing entries', '{ "schemaVersion": 1 }', /^bad\.json:1:1: missing required property "entries"/],
    ['a bad code', '{ "schemaVersion": 1, "entries": [ { "code": "not a code", "variants": [] } ] }', /^bad\.json:1:46: code must look like FAMILY\.1234/],
    [
      'a duplicate code',
      '{ "schemaVersion": 1, "entries": [\n {"code":"X.1","variants":[{"httpStatus":400,"message":{"en":"a"}}]},\n {"code":"x.1","variants":[{"httpStatus":400,"message":{"en":"b"}}]}\n] }',
      /^bad\.json:3:10: duplicate code x\.1 \(first defined in entries\[0\]\)/,
    ],
    ['an empty message', '{ "schemaVersion": 1, "entries": [ {"code":"X.1","variants":[{"httpStatus":400,"message":{"en":"  "}}]} ] }', /^bad\.json:1:96: expected a non-empty string, found an empty string/],
    ['a status out of range', '{ "schemaVersion": 1, "entries": [ {"code":"X.1","variants":[{"httpStatus":99,"message":{"en":"a"}}]} ] }', /^bad\.json:1:76: httpStatus must be an integer from 100 to 599/],
    ['an unknown property', '{ "schemaVersion": 1, "entries": [], "entires": [] }', /^bad\.json:1:38: unknown property "entires"/],
    ['a __proto__ key', '{ "schemaVersion": 1, "entries": [], "__proto__": {"x": 1} }', /^bad\.json:1:38: unknown property "__proto__"/],
    ['an unknown note kind', '{ "schemaVersion": 1, "entries": [ {"code":"X.1","notes":[{"kind":"gossip","en":"a"}],"variants":[{"httpStatus":400,"message":{"en":"a"}}]} ] }', /kind must be one of/],
    ['a top-level array', '[]', /^bad\.json:1:1: expected an object, found an array/],
  ];
  it.each(cases)('rejects %s with FILE:LINE:COL on stderr and exit 2', async (_name, text, expected) => {
    const r = await runFake(['--catalog', 'bad.json', 'GES.7018'], { files: { 'bad.json': text } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/^ges-err: /, '')).toMatch(expected);
  });

  it('agrees with catalog/schema.json: each schema violation above is one for JSON Schema too', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'catalog/schema.json'), 'utf8')) as object);
    const schemaCases = cases.filter(([name]) => !['invalid JSON', 'truncated JSON', 'a duplicate code'].includes(name));
    expect(schemaCases.length).toBeGreaterThan(6);
    for (const [name, text] of schemaCases) expect(validate(JSON.parse(text)), name).toBe(false);
    expect(validate(JSON.parse(internal))).toBe(true);
    expect(validate(JSON.parse(vpc))).toBe(true);
  });

  it('loads nothing from a broken file: the bundled explanation is not replaced by half a catalog', () => {
    const text = '{ "schemaVersion": 1, "entries": [ {"code":"GES.7018","variants":[{"httpStatus":400,"message":{"en":"mine"}}]}, {"code":"bad"} ] }';
    expect(() => parseUserCatalog(text, 'half.json')).toThrow(CatalogError);
  });

  it('rejects a missing file and a directory, through the real executable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ges-err-'));
    mkdirSync(path.join(dir, 'sub'));
    const missing = spawnCli(['--catalog', path.join(dir, 'nope.json'), 'GES.7018']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json:1:1: cannot read catalog: no such file/);
    const directory = spawnCli(['GES.7018'], { env: { GES_ERR_CATALOG: path.join(dir, 'sub') } });
    expect(directory.status).toBe(2);
    expect(directory.stderr).toMatch(/sub:1:1: cannot read catalog: is a directory/);
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"schemaVersion":1,"entries":[}');
    const broken = spawnCli(['--catalog', file, 'GES.7018']);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(`${file}:1:31: invalid JSON`);
    expect(broken.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('accepts a byte order mark at the start of the file', () => {
    const c = parseUserCatalog('\ufeff' + internal, 'bom.json');
    expect(c.entries.map((e) => e.code)).toEqual(['ACME.0042', 'GES.7018']);
  });
});
