// Every --format renders the same diagnosed response: code, observed status, request id, the
// server's message, the explanation and the remediation, in the chosen language(s).

import { describe, expect, it } from 'vitest';
import { TSV_COLUMNS } from '../src/render/tsv.js';
import { readFixture, runFake } from './helpers.js';

const response = readFixture('diagnose/curl-i-crlf.txt'); // GES.8000, HTTP 404, x-request-id 4c1f…
const REQUEST_ID = '4c1f0e9d8b7a6c5d4e3f2a1b0c9d8e7f';
const run = (...argv: string[]) => runFake(['diagnose', '-', ...argv], { stdin: response });

describe('formats of one diagnosed response', () => {
  it('plain: one fact per line, both languages', async () => {
    const r = await run('--format', 'plain');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^GES\.8000 {2}HTTP 400 {2}GES service plane \/ GES 业务面$/m);
    expect(r.stdout).toMatch(/HTTP 404 \(documented: 400; they differ \/ 文档为 400，不一致\)/);
    expect(r.stdout).toContain(`Request ID / 请求ID: ${REQUEST_ID}`);
    expect(r.stdout).toContain('Server message / 服务端消息: graph [movies] is not found');
    expect(r.stdout).toContain('Incorrect parameter format.');
    expect(r.stdout).toContain('参数格式错误');
    expect(r.stdout).toContain('检查请求url、body体是否和文档描述一致。');
  });

  it('table: the same facts inside borders', async () => {
    const r = await run('--format', 'table', '--width', '120');
    expect(r.stdout).toMatch(/^┌/);
    for (const s of ['GES.8000', 'HTTP 404', REQUEST_ID, 'graph [movies] is not found', '参数格式错误']) expect(r.stdout).toContain(s);
  });

  it('md: a ticket-ready block', async () => {
    const r = await run('--format', 'md', '--lang', 'en');
    expect(r.stdout).toMatch(/^### `GES\.8000` — HTTP 400 · GES service plane$/m);
    expect(r.stdout).toContain(`- Request ID: ${REQUEST_ID}`);
    expect(r.stdout).toContain('- Server message: graph \\[movies\\] is not found');
    expect(r.stdout).toContain('- **Message:** Incorrect parameter format.');
    expect(r.stdout).toContain("- **Remediation:** Check whether the request URL and body");
    expect(r.stdout).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('tsv: a header and one line, fields where the header says', async () => {
    const r = await run('--format', 'tsv');
    const [head, ...rows] = r.stdout.trimEnd().split('\n');
    expect(head!.split('\t')).toEqual([...TSV_COLUMNS]);
    expect(rows).toHaveLength(1);
    const cells = rows[0]!.split('\t');
    expect(cells).toHaveLength(TSV_COLUMNS.length);
    const at = (name: (typeof TSV_COLUMNS)[number]) => cells[TSV_COLUMNS.indexOf(name)];
    expect(at('code')).toBe('GES.8000');
    expect(at('httpStatus')).toBe('400');
    expect(at('observed_httpStatus')).toBe('404');
    expect(at('observed_requestId')).toBe(REQUEST_ID);
    expect(at('observed_message')).toBe('graph [movies] is not found');
    expect(at('count')).toBe('1');
    expect(at('message_zh')).toBe('参数格式错误');
  });

  it('json: the contract fields', async () => {
    const r = await run('--json');
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; command: string; results: Record<string, unknown>[] };
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'diagnose' });
    expect(doc.results[0]).toMatchObject({
      code: 'GES.8000',
      httpStatus: 400,
      family: 'ges-service',
      count: 1,
      observed: { httpStatus: 404, requestId: REQUEST_ID, message: 'graph [movies] is not found' },
      retryable: false,
    });
  });

  it('--lang zh leaves out the English explanation', async () => {
    const r = await run('--format', 'plain', '--lang', 'zh');
    expect(r.stdout).toContain('参数格式错误');
    expect(r.stdout).not.toContain('Incorrect parameter format.');
    expect(r.stdout).toContain(`请求ID: ${REQUEST_ID}`);
  });
});
