// diagnose end to end, in process: every input shape the issue lists, read from fixtures written
// for these tests, checked for code, observed status, request id and server message in --json,
// plain and table output; the log summary; exit statuses; files, stdin and pasted arguments.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture, runFake, spawnCli } from './helpers.js';

const read = (name: string) => readFileSync(fixture(`diagnose/${name}`), 'utf8');

interface Expected {
  code: string;
  /** 'explained', or the notFound reason. */
  kind?: 'explained' | 'other-service' | 'not-in-catalog';
  status: number | null;
  requestId: string | null;
  message: string | null;
  /** 1-based index of the variant shown first, for multi-variant codes. */
  variant?: number;
  count?: number;
  firstLine?: number;
  lastLine?: number;
}

interface JsonResult {
  code: string;
  reason?: string;
  count: number;
  lines: number[];
  firstLine: number;
  lastLine: number;
  observed: { httpStatus: number | null; requestId: string | null; message: string | null };
  variant?: { index: number; count: number };
  retryable?: boolean;
}

interface JsonDoc {
  schemaVersion: number;
  command: string;
  results: JsonResult[];
  notFound: JsonResult[];
  summary: { distinct: number; total: number; lines: number; bytes: number; untracked: number; inputs: { name: string; firstLine: number; lastLine: number }[] };
}

const CASES: [string, string, Expected[]][] = [
  ['GES v1.0 body (errorCode/errorMessage)', 'ges-v1-body.json', [{ code: 'GES.7018', status: null, requestId: null, message: 'The number of graphs has reached the quota: 5 of 5 used.' }]],
  ['GES v2 body (error_code/error_msg)', 'ges-v2-body.json', [{ code: 'GES.7013', status: null, requestId: null, message: 'Graph name kg_prod is already used by graph 7c9e1b0a-3f52-4a8e-9c1d-2b7f6e5d4c3a.' }]],
  ['service plane body with result: failed', 'ges-service-plane-failed.json', [{ code: 'GES.8001', status: null, requestId: null, message: 'graph [fraud_ring] is not found' }]],
  [
    'APIGW body with request_id',
    'apigw-body.json',
    [{ code: 'APIGW.0308', status: null, requestId: '8d3a4f0c2b1e4d5f9a8b7c6d5e4f3a2b', message: 'The throttling threshold has been reached: policy ip over ratelimit,limit:20,time:1 second' }],
  ],
  [
    'code/message body of another service',
    'other-service-code-message.json',
    [{ code: 'CSS.0011', kind: 'other-service', status: null, requestId: '2f6c8e1a9b3d4c7e8f0a1b2c3d4e5f60', message: 'The cluster does not exist or has been deleted.' }],
  ],
  [
    'nested {"error": {...}}, message picks the first APIGW.0101 variant',
    'nested-error-0101-published.json',
    [{ code: 'APIGW.0101', status: null, requestId: '5b7e9c1d3f2a4b6c8d0e1f2a3b4c5d6e', message: 'The API does not exist or has not been published in the environment.', variant: 1 }],
  ],
  ['nested pretty-printed, message picks the second APIGW.0101 variant', 'nested-error-0101-missing.json', [{ code: 'APIGW.0101', status: null, requestId: null, message: 'The API does not exist.', variant: 2 }]],
  [
    'curl -i transcript with CRLF and a lower-case x-request-id',
    'curl-i-crlf.txt',
    [{ code: 'GES.8000', status: 404, requestId: '4c1f0e9d8b7a6c5d4e3f2a1b0c9d8e7f', message: 'graph [movies] is not found', firstLine: 11 }],
  ],
  [
    'curl -v transcript: the response id, not the request header',
    'curl-v.txt',
    [{ code: 'GES.7037', status: 400, requestId: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b', message: 'Graph kg_prod cannot be started: it is not in the Stopped state.' }],
  ],
  ['doc snippet "Http Status Code: 400 {...}"', 'doc-http-status-code.txt', [{ code: 'GES.8110', status: 400, requestId: null, message: 'Bad Request, parameter edges cannot be null' }]],
  ['doc snippet "Status code: 400", text, then the body', 'doc-status-code-block.txt', [{ code: 'GES.7003', status: 400, requestId: null, message: 'The graph demo is stopped.' }]],
  [
    'Python SDK print carrying a GES v1 body',
    'python-sdk-ges-v1.txt',
    [{ code: 'GES.8001', status: 404, requestId: '1a2b3c4d5e6f708192a3b4c5d6e7f809', message: 'graph [social] is not found' }],
  ],
  [
    'Python SDK print of an APIGW error (bare message with commas and colons)',
    'python-sdk-apigw.txt',
    [{ code: 'APIGW.0301', status: 401, requestId: '6f5e4d3c2b1a09f8e7d6c5b4a3928170', message: 'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.' }],
  ],
  [
    'Go SDK error with the body JSON-escaped in error_message',
    'go-sdk.txt',
    [{ code: 'GES.7000', status: 400, requestId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', message: 'The graph does not exist or has been deleted.' }],
  ],
  [
    'Go SDK error escaped again inside a JSON log line',
    'go-sdk-double-escaped.ndjson',
    [{ code: 'GES.8001', status: 404, requestId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', message: 'graph [kg] is not found' }],
  ],
  ['Java SDK ClientRequestException block', 'java-sdk.txt', [{ code: 'GES.7001', status: 400, requestId: '77a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2', message: 'The graph kg_prod is not running.' }]],
  [
    'Node SDK error printed by util.inspect (single quotes)',
    'node-sdk.txt',
    [{ code: 'APIGW.0301', status: 401, requestId: 'c0ffee00deadbeef0123456789abcdef', message: 'Incorrect IAM authentication information: decrypt token fail' }],
  ],
  ['Terraform provider error', 'terraform.txt', [{ code: 'GES.7020', status: 400, requestId: '3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b', message: 'VPC vpc-graph does not exist.' }]],
  [
    'KooCLI [OPENAPI_ERROR] carrying a response',
    'koocli-openapi.txt',
    [{ code: 'APIGW.0302', status: 403, requestId: '0123456789abcdef0123456789abcdef', message: 'The IAM user is not authorized to access the API.' }],
  ],
  ['truncated JSON', 'truncated.json', [{ code: 'GES.7000', status: null, requestId: null, message: 'The graph does not exist or has been del…' }]],
  [
    'invalid JSON (documentation ellipsis), placeholder request id',
    'doc-ellipsis-invalid.txt',
    [{ code: 'APIGW.0301', status: null, requestId: null, message: 'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.' }],
  ],
  [
    'APIG.* is not APIGW.*',
    'apig-lookalike.json',
    [{ code: 'APIG.0101', kind: 'other-service', status: null, requestId: 'e1d2c3b4a5f60718293a4b5c6d7e8f90', message: 'The API does not exist or has not been published in the environment.' }],
  ],
  ['a GES code the catalog does not have', 'unknown-ges-code.json', [{ code: 'GES.7025', kind: 'not-in-catalog', status: null, requestId: null, message: 'Some new error.' }]],
  [
    'a log with many shapes, unrelated ids and status lines around',
    'mixed-app.log',
    [
      { code: 'GES.7001', status: 400, requestId: '11111111111111111111111111111111', message: 'The graph kg_a is not running.', count: 3, firstLine: 3, lastLine: 15 },
      { code: 'APIGW.0201', status: 502, requestId: '33333333333333333333333333333333', message: 'Backend unavailable.', variant: 5, count: 2, firstLine: 11, lastLine: 12 },
      // The request_id of the INFO line right above must not be attached to this body.
      { code: 'GES.7002', status: null, requestId: null, message: 'Graph kg_b is being backed up.', count: 1, firstLine: 5, lastLine: 5 },
      { code: 'VPC.0201', kind: 'other-service', status: null, requestId: null, message: 'Subnet gateway or CIDR is invalid.', count: 1, firstLine: 13, lastLine: 13 },
    ],
  ],
];

async function diagnoseJson(name: string, content = read(name)): Promise<{ doc: JsonDoc; stderr: string; status: number | null }> {
  const r = await runFake(['diagnose', '--json', name], { files: { [name]: content } });
  return { doc: JSON.parse(r.stdout) as JsonDoc, stderr: r.stderr, status: r.status };
}

describe('diagnose recognises every shape (--json)', () => {
  it.each(CASES)('%s', async (_, name, expected) => {
    const { doc, status } = await diagnoseJson(name);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.command).toBe('diagnose');
    const all = [...doc.results.map((r) => ({ ...r, kind: 'explained' })), ...doc.notFound.map((r) => ({ ...r, kind: r.reason }))];
    expect(all.map((r) => r.code).sort()).toEqual(expected.map((e) => e.code).sort());
    for (const e of expected) {
      const r = all.find((x) => x.code === e.code)!;
      expect(r.kind, e.code).toBe(e.kind ?? 'explained');
      expect(r.observed, e.code).toEqual({ httpStatus: e.status, requestId: e.requestId, message: e.message });
      if (e.variant !== undefined) expect(r.variant?.index, e.code).toBe(e.variant);
      expect(r.count, e.code).toBe(e.count ?? 1);
      if (e.firstLine !== undefined) expect(r.firstLine, e.code).toBe(e.firstLine);
      if (e.lastLine !== undefined) expect(r.lastLine, e.code).toBe(e.lastLine);
      expect(r.lines[0]).toBe(r.firstLine);
      expect(r.lines[r.lines.length - 1]).toBe(r.lastLine);
    }
    expect(status).toBe(expected.some((e) => (e.kind ?? 'explained') === 'explained') ? 0 : 1);
  });
});

describe('diagnose shows the observation beside the catalog (plain and table)', () => {
  const explained = CASES.filter(([, , exp]) => exp.length === 1 && (exp[0]!.kind ?? 'explained') === 'explained');
  it.each(explained)('%s', async (_, name, [e]) => {
    const plain = await runFake(['diagnose', name], { files: { [name]: read(name) } });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`^${e!.code.replace('.', '\\.')}  HTTP`, 'm'));
    if (e!.status !== null) expect(plain.stdout).toContain(`Observed`);
    if (e!.status !== null) expect(plain.stdout).toMatch(new RegExp(`Observed 实际响应\\s+HTTP ${e!.status}`));
    if (e!.requestId) expect(plain.stdout).toContain(`Request ID / 请求ID: ${e!.requestId}`);
    if (e!.message) expect(plain.stdout).toContain(`Server message / 服务端消息: ${e!.message}`);

    const table = await runFake(['diagnose', '--format', 'table', '--width', '400', name], { files: { [name]: read(name) }, isTTY: true });
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('┌');
    expect(table.stdout).toContain(e!.code);
    if (e!.requestId) expect(table.stdout).toContain(`Request ID / 请求ID: ${e!.requestId}`);
    if (e!.message) expect(table.stdout).toContain(`Server message / 服务端消息: ${e!.message}`);
  });

  it('flags an observed status that differs from the documented one', async () => {
    const body = 'HTTP/1.1 404 Not Found\n\n{"errorCode":"GES.7000","errorMessage":"graph kg is gone"}\n';
    const r = await runFake(['diagnose', '-', '--lang', 'en'], { stdin: body });
    expect(r.stdout).toContain('HTTP 404 (documented: 400; they differ)');
  });

  it('shows the chosen variant first: APIGW.0201 seen with 504 is "Backend timeout"', async () => {
    const body = 'HTTP/1.1 504 Gateway Time-out\nX-Request-Id: 0a1b2c3d4e5f6a7b\n\n{"error_msg":"Backend timeout.","error_code":"APIGW.0201","request_id":"0a1b2c3d4e5f6a7b"}\n';
    const r = await runFake(['diagnose', '-', '--lang', 'en'], { stdin: body });
    const blocks = r.stdout.split('\n\n');
    expect(blocks[0]).toMatch(/^APIGW\.0201 {2}HTTP 504 .*variant 6 of 6/);
    expect(blocks[0]).toMatch(/Message\s+Backend timeout\./);
    expect(blocks[0]).not.toContain('they differ');
    // The observed status chose the variant: the other five are listed in one section, not drawn in full.
    expect(r.stdout.match(/^APIGW\.0201 /gm)).toHaveLength(1);
    expect(blocks[0]).toMatch(/Other variants\s+HTTP 400: API request error\./);
    for (const s of [413, 414, 494, 502]) expect(blocks[0]).toContain(`HTTP ${s}: `);
  });

  it('names codes of other services as such on stderr, never as GES', async () => {
    const { stderr } = await diagnoseJson('other-service-code-message.json');
    expect(stderr).toContain('CSS.0011 is not a GES or API Gateway code');
    expect(stderr).toContain('server message: The cluster does not exist or has been deleted.');
    const apig = await diagnoseJson('apig-lookalike.json');
    expect(apig.stderr).toContain('APIG.* codes come from a dedicated API Gateway instance');
    expect(apig.doc.results).toEqual([]);
  });

  it('suggests near codes for a GES code the catalog lacks', async () => {
    const { stderr, doc } = await diagnoseJson('unknown-ges-code.json');
    expect(stderr).toContain('GES.7025 is not in the catalog');
    expect(stderr).toContain('GES.7024');
    expect(doc.notFound[0]!.reason).toBe('not-in-catalog');
  });
});

describe('log summary', () => {
  it('prints a summary table sorted by count, with bars scaled to the largest count', async () => {
    const r = await runFake(['diagnose', 'mixed-app.log', '--lang', 'en'], { files: { 'mixed-app.log': read('mixed-app.log') } });
    const [summary] = r.stdout.split('\n\n');
    const lines = summary!.split('\n');
    expect(lines[0]).toBe('7 errors, 4 distinct codes, in 15 lines');
    expect(lines[1]).toMatch(/^Code\s+Count\s+First\s+Last\s+Kind$/);
    const rows = lines.slice(2).map((l) => l.split(/\s{2,}/));
    expect(rows.map((c) => c[0])).toEqual(['GES.7001', 'APIGW.0201', 'GES.7002', 'VPC.0201']);
    expect(rows.map((c) => c.slice(1, 4))).toEqual([
      ['3', '3', '15'],
      ['2', '11', '12'],
      ['1', '5', '5'],
      ['1', '13', '13'],
    ]);
    expect(rows.map((c) => c[4]!.length)).toEqual([20, 13, 7, 7]);
    expect(rows[3]![5]).toBe('another service');
    // then the explanations, in the same order
    const codes = [...r.stdout.matchAll(/^(\S+) {2}HTTP/gm)].map((m) => m[1]);
    expect(codes.filter((c, i) => codes.indexOf(c) === i)).toEqual(['GES.7001', 'APIGW.0201', 'GES.7002']);
  });

  it('prints no summary for a single response', async () => {
    const r = await runFake(['diagnose', 'go-sdk.txt'], { files: { 'go-sdk.txt': read('go-sdk.txt') } });
    expect(r.stdout).not.toMatch(/distinct code/);
    expect(r.stdout.startsWith('GES.7000')).toBe(true);
  });

  it('renders the summary as a markdown table with --format md', async () => {
    const r = await runFake(['diagnose', '--format', 'md', 'mixed-app.log'], { files: { 'mixed-app.log': read('mixed-app.log') } });
    expect(r.stdout).toContain('| Code | Count | First | Last |');
    expect(r.stdout).toMatch(/^\| GES\.7001 \| 3 \| 3 \| 15 \| █{20} \|/m);
  });

  it('keeps --json summary totals', async () => {
    const { doc } = await diagnoseJson('mixed-app.log');
    expect(doc.summary).toEqual({ distinct: 4, total: 7, lines: 15, bytes: Buffer.byteLength(read('mixed-app.log')), untracked: 0, inputs: [{ name: 'mixed-app.log', firstLine: 1, lastLine: 15 }] });
    expect(doc.results.map((r) => r.code)).toEqual(['GES.7001', 'APIGW.0201', 'GES.7002']);
  });
});

describe('entry points and exit statuses', () => {
  it('reads a pipe with no arguments', async () => {
    const r = await runFake([], { stdin: read('curl-i-crlf.txt') });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Request ID / 请求ID: 4c1f0e9d8b7a6c5d4e3f2a1b0c9d8e7f');
  });

  it('reads `-` as standard input, also as the only argument of the default command', async () => {
    for (const argv of [['diagnose', '-'], ['-']]) {
      const r = await runFake([...argv, '--json'], { stdin: read('java-sdk.txt') });
      expect(r.status, argv.join(' ')).toBe(0);
      expect((JSON.parse(r.stdout) as JsonDoc).results[0]!.code).toBe('GES.7001');
    }
  });

  it('diagnoses a response pasted as the argument', async () => {
    const r = await runFake(['--json', '{"errorCode":"GES.7000","errorMessage":"graph kg is gone"}']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.command).toBe('diagnose');
    expect(doc.results[0]!.observed.message).toBe('graph kg is gone');
  });

  it('gives a usage hint and exit 2 with no input on a terminal, never waiting', async () => {
    for (const argv of [[], ['diagnose']]) {
      const r = await runFake(argv, { stdinKind: 'tty' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('Usage:');
    }
    expect((await runFake(['diagnose'], { stdinKind: 'none' })).status).toBe(2);
  });

  it('exits 1 with "the input is empty" for empty or blank input, and --json still parses', async () => {
    for (const stdin of ['', '\n\n  \r\n']) {
      const r = await runFake(['diagnose', '-'], { stdin });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('ges-err: the input is empty; nothing to diagnose.\n');
      expect(r.stdout).toBe('');
      const j = await runFake(['diagnose', '-', '--json'], { stdin });
      expect((JSON.parse(j.stdout) as JsonDoc).results).toEqual([]);
    }
  });

  it('exits 1 with "no error code found" for text without an error, with a KooCLI hint when there is one', async () => {
    const plain = await runFake(['diagnose', '-'], { stdin: 'all good\nnothing to see here\n' });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toBe('ges-err: no error code found in the input.\n');
    const koo = await runFake(['diagnose', 'koocli-use-error.txt'], { files: { 'koocli-use-error.txt': read('koocli-use-error.txt') } });
    expect(koo.status).toBe(1);
    expect(koo.stderr).toContain('Line 1 has a KooCLI [USE_ERROR] message');
    const page = await runFake(['diagnose', '-'], { stdin: 'HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n<html>502</html>\r\n' });
    expect(page.status).toBe(1);
    expect(page.stderr).toContain('Line 1 is an HTTP 502 status line, but no error code follows it');
  });

  it('says the input looks binary when nothing is found and it holds a NUL byte, on the line of the first', async () => {
    const near = await runFake(['diagnose', '-'], { stdin: 'hello\nworld\n\0\u0001\u0002 tail\n\0' });
    expect(near.status).toBe(1);
    expect(near.stderr).toBe('ges-err: no error code found in the input.\n  Line 3 holds a NUL byte: the input looks like binary data, not a response, an error message or a log.\n');
    // Past the first pieces the scanner reads (64 KiB each), the line is still counted right.
    const far = await runFake(['diagnose', '-'], { stdin: 'an ordinary line of text\n'.repeat(20_000) + 'x\0y\n' });
    expect(far.stderr).toContain('  Line 20001 holds a NUL byte:');
    // Binary data around a response is no reason to say anything: the response is explained.
    const around = await runFake(['diagnose', '-'], { stdin: '\0\0{"errorCode":"GES.7013","errorMessage":"x"}\0' });
    expect(around.status).toBe(0);
    expect(around.stderr).not.toContain('NUL');
  });

  it('exits 1 when only codes of other services were found', async () => {
    const { status } = await diagnoseJson('other-service-code-message.json');
    expect(status).toBe(1);
  });

  it('exits 2 for an unreadable file, naming it, and still reports the readable ones', async () => {
    const r = await runFake(['diagnose', 'missing.log', 'go-sdk.txt', '--json'], { files: { 'go-sdk.txt': read('go-sdk.txt') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('ges-err: cannot read missing.log: no such file or directory\n');
    expect((JSON.parse(r.stdout) as JsonDoc).results.map((x) => x.code)).toEqual(['GES.7000']);
  });

  it('numbers lines across several files and maps them back in the summary', async () => {
    const files = { 'a.log': read('go-sdk.txt'), 'b.log': read('java-sdk.txt') + read('go-sdk.txt') };
    const j = await runFake(['diagnose', 'a.log', 'b.log', '--json'], { files });
    const doc = JSON.parse(j.stdout) as JsonDoc;
    expect(doc.summary.inputs).toEqual([
      { name: 'a.log', firstLine: 1, lastLine: 1 },
      { name: 'b.log', firstLine: 2, lastLine: 12 },
    ]);
    const g = doc.results.find((r) => r.code === 'GES.7000')!;
    expect([g.count, g.firstLine, g.lastLine]).toEqual([2, 1, 12]);
    const plain = await runFake(['diagnose', 'a.log', 'b.log', '--lang', 'en'], { files });
    expect(plain.stdout).toMatch(/^GES\.7000\s+2\s+a\.log:1\s+b\.log:11\s/m);
  });

  describe('--exit-status', () => {
    const run = (stdin: string) => runFake(['diagnose', '-', '--exit-status', '--json'], { stdin });
    it('is 0 when every error is retryable (APIGW.0201 seen as 504)', async () => {
      const r = await run('HTTP/1.1 504 Gateway Timeout\n\n{"error_code":"APIGW.0201","error_msg":"Backend timeout."}\n');
      expect((JSON.parse(r.stdout) as JsonDoc).results[0]!.retryable).toBe(true);
      expect(r.status).toBe(0);
    });
    it('is 1 when any error is not retryable (APIGW.0201 seen as 413)', async () => {
      expect((await run('HTTP/1.1 413 Request Entity Too Large\n\n{"error_code":"APIGW.0201","error_msg":"Request entity too large."}\n')).status).toBe(1);
      expect((await run('{"error_code":"APIGW.0201","error_msg":"Backend timeout."}\n{"errorCode":"GES.7000","errorMessage":"x"}\n')).status).toBe(1);
    });
    it('is 1 for a code the catalog does not know, and when nothing was found', async () => {
      expect((await run('{"code":"VPC.0201","message":"x"}\n')).status).toBe(1);
      expect((await run('nothing\n')).status).toBe(1);
    });
    it('works without the diagnose command, on piped or pasted input, and refuses codes', async () => {
      const retryable = '{"error_code":"APIGW.0201","error_msg":"Backend timeout."}';
      const piped = await runFake(['--exit-status'], { stdin: `HTTP/1.1 504 Gateway Timeout\n\n${retryable}\n` });
      expect(piped.status).toBe(0);
      expect(piped.stdout).toContain('APIGW.0201');
      expect((await runFake(['--exit-status'], { stdin: '{"errorCode":"GES.7000","errorMessage":"x"}\n' })).status).toBe(1);
      expect((await runFake(['{"errorCode":"GES.7000","errorMessage":"x"}', '--exit-status'])).status).toBe(1);
      const code = await runFake(['--exit-status', 'GES.7018']);
      expect(code.status).toBe(2);
      expect(code.stderr).toMatch(/--exit-status applies to input to diagnose/);
      expect(code.stdout).toBe('');
    });
    it('is documented in the help', () => {
      expect(spawnCli(['--help']).stdout).toMatch(/--exit-status\s+exit 0 only if every error found is retryable/);
      const r = spawnCli(['diagnose', '--help']);
      expect(r.stdout).toMatch(/--exit-status\s+exit 0 only if every error found is retryable/);
    });
  });
});

describe('progress', () => {
  it('is shown with --progress even when stderr is not a terminal, then cleared', async () => {
    const r = await runFake(['diagnose', '-', '--progress', '--json'], { stdin: read('go-sdk.txt') });
    expect(r.stderr).toMatch(/^\rges-err: reading standard input: 0\.0 MB, \d+ errors? so far/);
    expect(r.stderr).toMatch(/\r {10,}\r/);
    expect(r.stderr).not.toContain('\n');
    JSON.parse(r.stdout);
  });
  it('is not shown in a pipe without --progress', async () => {
    const r = await runFake(['diagnose', '-', '--json'], { stdin: read('go-sdk.txt') });
    expect(r.stderr).toBe('');
  });
});

describe('spawned executable', () => {
  it('diagnoses `cat response | ges-err`', () => {
    const r = spawnCli([], { input: read('python-sdk-ges-v1.txt') });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('GES.8001');
    expect(r.stdout).toContain('Request ID / 请求ID: 1a2b3c4d5e6f708192a3b4c5d6e7f809');
  });
  it('reads a file and reports an unreadable one', () => {
    const ok = spawnCli(['diagnose', '--json', fixture('diagnose/terraform.txt')]);
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as JsonDoc).results[0]!.observed.requestId).toBe('3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b');
    const bad = spawnCli(['diagnose', fixture('diagnose/no-such-file.log')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^ges-err: cannot read .*no-such-file\.log: no such file or directory\n$/);
    const dir = spawnCli(['diagnose', fixture('diagnose')]);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toMatch(/cannot read .*diagnose: is a directory/);
  });
  it('exits 1 on empty standard input', () => {
    const r = spawnCli(['diagnose'], { input: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the input is empty');
  });
});
