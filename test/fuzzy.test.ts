// Free-text matching: how text is cut into terms (English words, Chinese characters and bigrams),
// how candidates are ranked and chosen (close ones all shown, weak ones none), what `ges-err <text>`
// prints and exits with, and that the index the build writes gives the same answers.

import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog, parseUserCatalog } from '../src/catalog/load.js';
import { analyze, buildFreeTextIndexData, decodeFreeTextIndex, encodeFreeTextIndex, indexMatches, MAX_RESULTS, rankFreeText, selectMatches, stem, type FreeTextMatch } from '../src/fuzzy.js';
import { readFixture, runFake, spawnCli, withoutEntries } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());
const codesOf = (ms: readonly FreeTextMatch[]) => ms.map((m) => m.entry.code);
const shown = async (text: string) => codesOf(selectMatches(await rankFreeText(catalog, text)).shown);

describe('analysis', () => {
  it.each([
    ['Graph is not running', ['graph', 'not', 'run']],
    ["The graph doesn't exist", ['graph', 'not', 'exist']],
    ['cannot bind', ['not', 'bind']],
    ['It won’t start, isnt bound', ['not', 'start', 'not', 'bind']],
    ["The graph's owner wont", ['graph', 'owner', 'not']],
    ['graphSizeTypeIndex', ['graph', 'size', 'type', 'index']],
    ['ÉtatDuGraphe', ['état', 'du', 'graph']],
    ['état du graphe', ['état', 'du', 'graph']],
    ['图GraphID配额', ['图', 'graph', 'id', '配', '额', '配额']],
    ['“图”的GraphID。', ['图', 'graph', 'id']],
    ['étéGraph', ['été', 'graph']],
    ['X-Auth-Token project_id', ['x', 'auth', 'token', 'project', 'id']],
    ['ＧＲＡＰＨ　ＩＳ ＲＵＮＮＩＮＧ', ['graph', 'run']],
    ['弹性IP', ['弹', '性', '弹性', 'ip']],
    ['图的配额', ['图', '图的', '配', '的配', '额', '配额']],
    ['x86_64 aarch64', ['x86', '64', 'aarch64']],
    ['the of and, is it?', []],
  ])('analyze(%j)', (text, keys) => {
    expect(analyze(text).map((t) => t.key)).toEqual(keys);
  });

  it.each([
    ['running', 'run'],
    ['runing', 'run'],
    ['stopped', 'stop'],
    ['deleted', 'delet'],
    ['delete', 'delet'],
    ['queries', 'query'],
    ['quotas', 'quota'],
    ['status', 'status'],
    ['access', 'access'],
    ['vertices', 'vertex'],
    ['fill', 'fill'],
  ])('stem(%j) = %j', (word, want) => {
    expect(stem(word)).toBe(want);
  });
});

describe('ranking', () => {
  it('shows both of two close candidates, the closer first', async () => {
    expect(await shown('graph is not running')).toEqual(['GES.7001', 'GES.7015']);
  });

  it('shows every code that shares a message, never one of them silently', async () => {
    expect(await shown('Components at the IaaS layer are faulty')).toEqual(['GES.7004', 'GES.7051']);
    expect(await shown('Incorrect parameter')).toEqual(expect.arrayContaining(['GES.0001', 'GES.8005']));
  });

  it('tolerates typos, any case and full-width text', async () => {
    expect((await shown('graph is not runing'))[0]).toBe('GES.7001');
    expect(await shown('qouta')).toEqual(await shown('quota'));
    expect(await shown('ＧＲＡＰＨ ＩＳ ＮＯＴ ＲＵＮＮＩＮＧ')).toEqual(await shown('graph is not running'));
  });

  it('reads Chinese typed with spaces between its words as the catalog writes it, without them', async () => {
    const ranked = async (q: string) => (await rankFreeText(catalog, q)).map((m) => `${m.entry.code} ${m.score.toFixed(3)}`);
    for (const [spaced, joined] of [['图 不存在', '图不存在'], ['委托 超过 配额', '委托超过配额'], ['图\u3000备份  个数', '图备份个数']]) {
      expect(await ranked(spaced!), spaced).toEqual(await ranked(joined!));
    }
    expect((await shown('图 不存在'))[0]).toBe('GES.7000');
    // Only between two Chinese characters: with a word between them ("a", a stop word at that), the
    // runs stay apart, and "图" keeps no neighbour.
    expect(await ranked('图 a 不存在')).not.toEqual(await ranked('图不存在'));
  });

  it('matches Chinese fragments, which have no spaces', async () => {
    expect((await shown('图不存在'))[0]).toBe('GES.7000');
    expect(await shown('弹性IP')).toEqual(expect.arrayContaining(['GES.7031', 'GES.7032', 'GES.7033']));
    const quota = await shown('配额');
    expect(quota.length).toBe(MAX_RESULTS);
    for (const c of quota) expect(JSON.stringify(catalog.byCode.get(c))).toContain('配额');
  });

  it('puts the variant that matched first and says which fields matched', async () => {
    const [best] = await rankFreeText(catalog, 'request entity too large');
    expect(best!.entry.code).toBe('APIGW.0201');
    expect(best!.entry.variants[best!.variantOrder[0]!]!.httpStatus).toBe(413);
    // The message, and the reason phrase of its status (413 Request Entity Too Large).
    expect(best!.matchedFields).toEqual(['message.en', 'httpStatus']);
    const [zh] = await rankFreeText(catalog, '委托创建失败');
    expect(zh!.matchedFields[0]).toBe('message.zh');
    const [rem] = await rankFreeText(catalog, 'switch to another available zone');
    expect(rem!.entry.code).toBe('GES.7034');
    expect(rem!.matchedFields).toContain('remediation.en');
  });

  it('matches the status line people often have instead of a message', async () => {
    const [best] = await rankFreeText(catalog, '429 Too Many Requests');
    expect(best!.entry.code).toBe('APIGW.0308');
    expect(best!.matchedFields).toContain('httpStatus');
    const [timeout] = await rankFreeText(catalog, 'HTTP 504 Gateway Timeout backend');
    expect(timeout!.entry.code).toBe('APIGW.0201');
    expect(timeout!.entry.variants[timeout!.variantOrder[0]!]!.httpStatus).toBe(504);
  });

  it('scores are 0..1, best first', async () => {
    const ranked = await rankFreeText(catalog, 'backend');
    expect(ranked.length).toBeGreaterThan(1);
    for (const [i, m] of ranked.entries()) {
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1.0000001);
      if (i) expect(m.score).toBeLessThanOrEqual(ranked[i - 1]!.score);
    }
  });

  it.each(['', '!!!', 'the of and', '的', '999 bottles', 'asdfghjkl', 'the weather is nice today', '今天天气很好', 'please check the printer'])(
    'gives no candidate for %j',
    async (text) => {
      expect(await rankFreeText(catalog, text)).toEqual([]);
    },
  );

  it('chooses the close candidates: within the ratio of the best, at most five, and counts the rest', () => {
    const m = (score: number) => ({ score }) as FreeTextMatch;
    expect(selectMatches([])).toEqual({ shown: [], close: 0 });
    expect(selectMatches([m(1), m(0.85), m(0.5)])).toEqual({ shown: [m(1), m(0.85)], close: 2 });
    expect(selectMatches([m(0.9), m(0.5)])).toEqual({ shown: [m(0.9)], close: 1 });
    const many = [m(1), ...Array.from({ length: 6 }, () => m(0.95))];
    expect(selectMatches(many)).toEqual({ shown: many.slice(0, MAX_RESULTS), close: 7 });
  });
});

describe('the index the build writes', () => {
  // As the bundle reads it: through its bytes.
  const data = decodeFreeTextIndex(encodeFreeTextIndex(buildFreeTextIndexData(catalog)))!;
  const queries = (JSON.parse(readFixture('queries.json')) as { queries: { q: string }[] }).queries.map((q) => q.q);

  it('ranks exactly as the index built at run time', async () => {
    // A catalog object of its own, so that nothing cached from the other tests is reused.
    const fresh = buildCatalog(loadBundledCatalogs());
    for (const q of queries) {
      const a = await rankFreeText(catalog, q);
      const b = await rankFreeText(fresh, q, { index: data });
      expect(b.map((x) => [x.entry.code, x.score.toFixed(6), x.matchedFields]), q).toEqual(a.map((x) => [x.entry.code, x.score.toFixed(6), x.matchedFields]));
    }
  });

  it('parses only the entries it ranks (a start-up cost on every run)', async () => {
    const fresh = buildCatalog(loadBundledCatalogs());
    for (const q of queries.slice(0, 20)) {
      const a = await rankFreeText(catalog, q);
      const b = await rankFreeText(withoutEntries(fresh), q, { index: data });
      expect(codesOf(b), q).toEqual(codesOf(a));
    }
  });

  it('parses no entry for ranking, only those whose match is read', async () => {
    const fresh = buildCatalog(loadBundledCatalogs());
    const parsed: string[] = [];
    const counting = Object.create(withoutEntries(fresh), {
      entryFor: {
        value: (code: string) => {
          parsed.push(code);
          return fresh.entryFor(code);
        },
      },
    }) as typeof fresh;
    const ranked = await rankFreeText(counting, 'graph not running', { index: data });
    expect(ranked.length).toBeGreaterThan(2);
    expect(parsed).toEqual([]);
    const { shown } = selectMatches(ranked);
    expect(codesOf(shown)).toEqual(['GES.7001', 'GES.7015']);
    expect(parsed).toEqual(['GES.7001', 'GES.7015']);
  });

  it('is read back from its bytes as it was written, and refuses bytes of anything else', () => {
    const built = buildFreeTextIndexData(catalog);
    const bytes = encodeFreeTextIndex(built);
    expect(decodeFreeTextIndex(bytes)).toEqual(built);
    expect(decodeFreeTextIndex(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(decodeFreeTextIndex(Buffer.from('{"version":5}'))).toBeUndefined();
  });

  it('is not used for another catalog', async () => {
    const withUser = buildCatalog([...loadBundledCatalogs(), parseUserCatalog(readFixture('queries-user-catalog.json'), 'u.json')]);
    expect(indexMatches(data, catalog)).toBe(true);
    expect(indexMatches(data, withUser)).toBe(false);
    expect(codesOf(await rankFreeText(withUser, 'flux capacitor overheating', { index: data }))).toEqual(['ACME.0042']);
    expect(codesOf(await rankFreeText(withUser, '电容器过热', { index: data }))).toEqual(['ACME.0042']);
  });
});

describe('ges-err TEXT', () => {
  it('explains the best matches with the usual renderer, saying which field matched', async () => {
    const r = await runFake(['--format', 'plain', 'graph', 'is', 'not', 'runing']);
    expect(r.status).toBe(0);
    expect(r.stdout.indexOf('GES.7001  HTTP 400')).toBe(0);
    expect(r.stdout).toContain('\nGES.7015  HTTP 400');
    expect(r.stdout).toMatch(/Matched +message\.en.*\(score 1\.00\)/);
    expect(r.stdout).toContain('Remediation');
    expect(r.stderr).toBe("ges-err: 2 codes match 'graph is not runing' about equally well; all are shown, best first.\n");
  });

  it('says when more codes are close than it shows', async () => {
    const r = await runFake(['配额']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ges-err: 6 codes match '配额' about equally well; the best 5 are shown\./);
  });

  it('--json keeps the result fields and adds score and matchedFields, best first', async () => {
    const r = await runFake(['--json', 'EIP', 'quota', 'limit']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { command: string; query: string; results: Record<string, unknown>[] };
    expect(doc.command).toBe('explain');
    expect(doc.query).toBe('EIP quota limit');
    expect(doc.results[0]).toMatchObject({ code: 'GES.7032', httpStatus: 400, family: 'ges-management', matchedFields: expect.arrayContaining(['message.en']) });
    for (const k of ['message', 'description', 'remediation', 'retryable', 'docUrl', 'notes', 'provenance', 'catalog', 'variant', 'otherVariants', 'score']) expect(doc.results[0]).toHaveProperty(k);
    const scores = doc.results.map((x) => x.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it.each([['the weather is nice today'], ['今天天气很好'], ['qwzx vbnm']])('says nothing matches %j, with no candidate, exit 1', async (text) => {
    const r = await runFake(text.split(' '));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('is not an error code, and no message, description or remediation matches it well');
    expect(r.stderr).not.toMatch(/GES\.|APIGW\./);
    const j = await runFake(['--json', ...text.split(' ')]);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ results: [] });
  });

  it('echoes the text safely', async () => {
    const r = await runFake(['zz\u001b[2Jqq', 'vbnm']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("'zz\\x1b[2Jqq vbnm'");
  });

  it('matches the messages of user catalogs', async () => {
    const r = await runFake(['--json', '--catalog', 'u.json', 'flux', 'capacitor'], { files: { 'u.json': readFixture('queries-user-catalog.json') } });
    expect((JSON.parse(r.stdout) as { results: { code: string }[] }).results.map((x) => x.code)).toEqual(['ACME.0042']);
  });
});

describe('ges-err TEXT (built executable)', () => {
  it('answers from the index the build wrote as from the catalog itself', async () => {
    for (const q of ['graph is not running', 'qouta', '配额', '弹性IP', 'check the bucket name']) {
      const built = spawnCli(['--json', ...q.split(' ')]);
      const source = await runFake(['--json', ...q.split(' ')]);
      expect(built.status, q).toBe(0);
      expect(JSON.parse(built.stdout), q).toEqual(JSON.parse(source.stdout));
    }
  });

  it('uses the user catalog when one is given', () => {
    const r = spawnCli(['--json', '--catalog', 'test/fixtures/queries-user-catalog.json', '电容器过热']);
    expect((JSON.parse(r.stdout) as { results: { code: string }[] }).results.map((x) => x.code)).toEqual(['ACME.0042']);
  });

  it('loads fuse.js only to correct a mistyped word', () => {
    // The loader reports the vendor modules it loads from their code cache; Node reports any other.
    const env = { NODE_DEBUG: 'module', GES_ERR_DEBUG_CODE_CACHE: '1' };
    const typo = spawnCli(['qouta'], { env });
    expect(typo.status).toBe(0);
    expect(typo.stderr).toContain('vendor/fuse.js.cjs');
    for (const args of [['graph', 'is', 'not', 'running'], ['配额'], ['GES.7018']]) {
      const r = spawnCli(args, { env });
      expect(r.stderr, args.join(' ')).toContain('MODULE');
      expect(r.stderr, args.join(' ')).not.toContain('fuse.js');
    }
  });
});
