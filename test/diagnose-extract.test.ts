// The pieces of diagnose on their own: reading a key and its value at any escape level and in
// every print style, choosing a variant from the observation, and drawing the summary bars.

import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog, parseUserCatalog } from '../src/catalog/load.js';
import { readKeyAt } from '../src/diagnose/extract.js';
import { diagnoseText } from '../src/diagnose/index.js';
import { exitStatusVerdict } from '../src/diagnose/report.js';
import { variantOrder } from '../src/diagnose/variant.js';
import { bar, locator } from '../src/render/summary.js';

const catalog = buildCatalog(loadBundledCatalogs());
const entry = (code: string) => catalog.byCode.get(code)!;

/** `text` as it reads once embedded `depth` times in a JSON string. */
function embed(text: string, depth: number): string {
  let s = text;
  for (let i = 0; i < depth; i++) s = JSON.stringify(s).slice(1, -1);
  return s;
}

describe('readKeyAt', () => {
  const body = '{"errorMessage":"say \\"hi\\" to C:\\\\graphs","errorCode":"GES.7000"}';
  it.each([
    ['"errorCode":"GES.7000"', 'code', 'GES.7000'],
    ['"error_code" : "APIGW.0301",', 'code', 'APIGW.0301'],
    ["error_code: 'APIGW.0301',", 'code', 'APIGW.0301'],
    ['error_code:None,error_msg:x', 'code', 'None'],
    ['"code":"VPC.0201"', 'code', 'VPC.0201'],
    ['"error_msg":"Backend timeout."}', 'message', 'Backend timeout.'],
    ['"errorMessage":"a \\"quoted\\" word"', 'message', 'a "quoted" word'],
    ["errorMsg: 'it\\'s gone',", 'message', "it's gone"],
    ['error_msg:Incorrect IAM authentication information: AK failed,forbidden.,encoded_authorization_message:None }', 'message', 'Incorrect IAM authentication information: AK failed,forbidden.'],
    ['errorMsg: graph kg is not running', 'message', 'graph kg is not running'],
    ['"errorMessage":"cut off in the midd', 'message', 'cut off in the midd…'],
    ['"errorMessage":"\\u56fe\\u540d"', 'message', '图名'],
    ['X-Request-Id: 0a1b2c3d4e5f', 'requestId', '0a1b2c3d4e5f'],
    ['x-request-id:abc123def', 'requestId', 'abc123def'],
    ['request_id: 53ee97da443fce01, error message: {', 'requestId', '53ee97da443fce01'],
    ['"requestId":"c0ffee"', 'requestId', 'c0ffee'],
    ['request id: 0123abcd, response', 'requestId', '0123abcd'],
    ['Http Status Code: 400 {', 'status', '400'],
    ['status_code:404,request_id', 'status', '404'],
    ['"httpStatusCode": 401,', 'status', '401'],
    ['Status code: 403, request id', 'status', '403'],
    ['"error_msg": {"code": "X.1"}', 'message', '{…}'],
  ])('%s', (text, kind, value) => {
    const r = readKeyAt(text);
    expect(r?.kind).toBe(kind);
    expect(r?.value).toBe(value);
  });

  it.each([1, 2, 3])('reads a body embedded %i time(s) in JSON strings', (depth) => {
    const s = embed(body, depth);
    const q = embed('"', depth);
    const at = s.indexOf(`${q}errorMessage`);
    expect(readKeyAt(s.slice(at))).toEqual({ key: 'errorMessage', kind: 'message', value: 'say "hi" to C:\\graphs' });
  });

  it.each([0, 1, 2, 3])('finds code, message and the outer status/id with the body embedded %i time(s)', async (depth) => {
    const inner = '{"errorMessage":"graph [kg] is not found","errorCode":"GES.8001"}';
    const text = `{"status_code":404,"request_id":"aabbccddeeff0011","error_message":"${embed(inner, depth + 1)}"}`;
    const r = await diagnoseText(catalog, depth === 0 ? `{status_code:404,request_id:aabbccddeeff0011,error_msg:${inner}}` : `x ${embed(text, depth - 1)}`);
    expect(r.rows.map((x) => [x.code, x.observed])).toEqual([['GES.8001', { httpStatus: 404, requestId: 'aabbccddeeff0011', message: 'graph [kg] is not found' }]]);
  });
});

describe('what a record is', () => {
  it.each([
    ['a status line applies only to the body right after it', 'HTTP/1.1 409 Conflict\n\n{"result":"ok"}\n{"errorCode":"GES.7000","errorMessage":"x"}\n', null, null],
    ['an id in an unrelated log line above is not attached', '2024-01-01 INFO request_id=1234567890abcdef done\n{"errorCode":"GES.7000","errorMessage":"x"}\n', null, null],
    ['headers and a status line right above are attached', '< HTTP/2 404\n< X-Request-Id: 1234567890abcdef\n<\n{"errorCode":"GES.7000","errorMessage":"x"}\n', 404, '1234567890abcdef'],
    ['the body’s own request_id wins over the header', 'HTTP/1.1 401 X\nX-Request-Id: header-id-0001\n\n{"error_code":"APIGW.0301","error_msg":"x","request_id":"body-id-0002"}\n', 401, 'body-id-0002'],
    ['a sibling object’s id is not taken', '[{"error_code":"APIGW.0301","error_msg":"x"},{"request_id":"other-0000001"}]\n', null, null],
    ['Terraform "Resource not found" means 404', 'Error: Resource not found: [GET https://x/v2/p/graphs/g], request_id: abcdef0123, error message: {"errorCode":"GES.7000","errorMessage":"x"}\n', 404, 'abcdef0123'],
  ])('%s', async (_, text, status, id) => {
    const r = await diagnoseText(catalog, text);
    expect(r.rows[0]!.observed.httpStatus).toBe(status);
    expect(r.rows[0]!.observed.requestId).toBe(id);
  });

  it('counts a code once per record: twice on a line or inside one multi-line record is one', async () => {
    const r = await diagnoseText(catalog, 'GES.7000 failed: {"errorCode":"GES.7000"}\nClientRequestException {\n    errorCode: APIGW.0301\n    errorMsg: APIGW.0301 denied\n}\nAPIGW.0301 again\n');
    expect(Object.fromEntries(r.rows.map((x) => [x.code, [x.count, x.lines]]))).toEqual({ 'GES.7000': [1, [1]], 'APIGW.0301': [2, [3, 6]] });
  });

  it.each([
    ['version numbers and timestamps', 'ges-err 1.2.3 GESX.7000 v1.0.0 2024-05-01T00:00:00.123Z 10.0.0.1 python3.10 GES.70001 GES.7000.1'],
    ['a code key holding a status', '{"code": 400, "error_code": "400", "errorCode": null}'],
  ])('does not take %s for codes', async (_, text) => {
    expect((await diagnoseText(catalog, text)).rows).toEqual([]);
  });
});

describe('variantOrder', () => {
  const obs = (httpStatus: number | null, message: string | null = null) => ({ httpStatus, requestId: null, message });
  it.each([
    [504, 5],
    [502, 4],
    [413, 1],
    [494, 3],
    [400, 0],
  ])('APIGW.0201 observed with %i shows variant %i first', (status, first) => {
    const order = variantOrder(entry('APIGW.0201'), obs(status))!;
    expect(order[0]).toBe(first);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('keeps the catalog order when nothing was observed', () => {
    expect(variantOrder(entry('APIGW.0201'), obs(null))).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it.each([
    ['The API does not exist.', 1],
    ['The API does not exist or has not been published in the environment.', 0],
    ['the api does not exist or has not been published in the environment RELEASE', 0],
    ['API not published in environment', 0],
  ])('APIGW.0101 with message %j shows variant %i first', (message, first) => {
    expect(variantOrder(entry('APIGW.0101'), obs(404, message))![0]).toBe(first);
  });
  it('lets the status win over the message', () => {
    expect(variantOrder(entry('APIGW.0201'), obs(504, 'Backend unavailable.'))![0]).toBe(5);
  });
  it('is undefined for a code with one variant', () => {
    expect(variantOrder(entry('GES.7000'), obs(400))).toBeUndefined();
  });
});

describe('exit-status verdict', () => {
  it.each([
    ['{"error_code":"APIGW.0201","error_msg":"Backend timeout."}', 0],
    ['HTTP/1.1 504 X\n\n{"error_code":"APIGW.0201"}', 0],
    ['HTTP/1.1 400 X\n\n{"error_code":"APIGW.0201"}', 1],
    ['{"errorCode":"GES.7005"} {"errorCode":"GES.8602"}', 0],
    ['{"errorCode":"GES.7005"}\n{"errorCode":"GES.7000"}', 1],
    ['{"errorCode":"GES.7005"}\n{"code":"VPC.0201"}', 1],
    ['nothing', 1],
  ])('%s -> %i', async (text, verdict) => {
    expect(exitStatusVerdict(await diagnoseText(catalog, text))).toBe(verdict);
  });
});

describe('summary drawing', () => {
  it.each([
    [10, 10, 20],
    [5, 10, 10],
    [1, 1000, 1],
    [0, 10, 0],
  ])('bar(%i of %i) has %i cells', (count, max, cells) => {
    expect(bar(count, max)).toBe('█'.repeat(cells));
  });
  it('maps global line numbers back to file:line when several inputs were read', () => {
    const at = locator({ distinct: 0, total: 0, lines: 30, bytes: 0, untracked: 0, inputs: [{ name: 'a.log', firstLine: 1, lastLine: 10 }, { name: 'b.log', firstLine: 11, lastLine: 30 }] });
    expect([at(1), at(10), at(11), at(30)]).toEqual(['a.log:1', 'a.log:10', 'b.log:1', 'b.log:20']);
    expect(locator({ distinct: 0, total: 0, lines: 3, bytes: 0, untracked: 0, inputs: [{ name: '-', firstLine: 1, lastLine: 3 }] })(2)).toBe('2');
  });
});

describe('user catalogs widen what is found anywhere', () => {
  const userCatalog = (codes: string[]) =>
    buildCatalog([
      ...loadBundledCatalogs(),
      parseUserCatalog(JSON.stringify({ schemaVersion: 1, id: 'mine', family: 'mine', entries: codes.map((code) => ({ code, variants: [{ httpStatus: 400, message: { en: `${code} text` } }] })) }), 'mine.json'),
    ]);

  it('finds free-standing codes of a user family, including prefixes that start other prefixes (EC, ECS)', async () => {
    const cat = userCatalog(['ECS.0001', 'EC.123456', 'APIGX.0001']);
    const r = await diagnoseText(cat, 'failed ECS.0001 and EC.123456 then APIGX.0001 and APIGW.0301 and APIG.0101; not EC.1234 (wrong length)\n');
    expect(r.rows.map((x) => [x.code, x.kind])).toEqual([
      ['ECS.0001', 'explained'],
      ['EC.123456', 'explained'],
      ['APIGX.0001', 'explained'],
      ['APIGW.0301', 'explained'],
      ['APIG.0101', 'other-service'],
    ]);
  });

  it('uses one pattern when there are many prefixes', async () => {
    const prefixes = Array.from({ length: 20 }, (_, i) => `P${String.fromCharCode(65 + i)}X`);
    const cat = userCatalog(prefixes.map((p) => `${p}.0001`));
    const text = prefixes.map((p) => `error ${p}.0001 seen`).join('\n') + '\nGES.7000 too\nPZX.0001 is unknown\n';
    const r = await diagnoseText(cat, text);
    expect(r.rows.map((x) => x.code)).toEqual([...prefixes.map((p) => `${p}.0001`), 'GES.7000']);
  });
});
