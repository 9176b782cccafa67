// diagnose as a stream: the same findings however the input is cut into chunks (inside a UTF-8
// character, a JSON string, a CRLF, across the scanner's windows), in UTF-16 and with invalid
// bytes, on a line of megabytes, and on a generated log whose exact summary is known.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateLog } from '../scripts/gen-log.mjs';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { diagnoseSources } from '../src/diagnose/index.js';
import { detectEncoding } from '../src/diagnose/input.js';
import type { DiagnoseReport } from '../src/diagnose/report.js';
import { fixture, runFake } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());

async function diagnoseChunks(chunks: readonly Uint8Array[]): Promise<DiagnoseReport> {
  const { report } = await diagnoseSources(catalog, [
    {
      name: '-',
      open: async function* () {
        for (const c of chunks) yield c;
      },
    },
  ]);
  return report;
}

/** What a report says, without the catalog text: the part that must not depend on chunking. */
function findings(r: DiagnoseReport) {
  return {
    rows: r.rows.map((x) => ({ code: x.code, kind: x.kind, count: x.count, firstLine: x.firstLine, lastLine: x.lastLine, lines: x.lines, observed: x.observed })),
    variants: r.results.map((x) => x.variant.index),
    lines: r.summary.lines,
    empty: r.empty,
  };
}

function splitAt(b: Buffer, cuts: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, b.length]) {
    out.push(b.subarray(prev, c));
    prev = c;
  }
  return out;
}

const FIXTURES = readdirSync(fixture('diagnose')).sort();

describe('chunk boundaries do not change what is found', () => {
  it.each(FIXTURES)('%s: every two-way split, and one byte at a time', async (name) => {
    const bytes = readFileSync(fixture(`diagnose/${name}`));
    const whole = findings(await diagnoseChunks([bytes]));
    const step = Math.max(1, Math.floor(bytes.length / 150));
    for (let cut = 1; cut < bytes.length; cut += step) {
      expect(findings(await diagnoseChunks(splitAt(bytes, [cut]))), `cut at ${cut}`).toEqual(whole);
    }
    const bytewise = [...bytes].map((b) => Uint8Array.of(b));
    expect(findings(await diagnoseChunks(bytewise))).toEqual(whole);
  });

  it('keeps a Chinese message whole when a chunk ends inside one of its characters', async () => {
    const text = '{"errorCode":"GES.7013","errorMessage":"图名称 kg_prod 已存在"}\n';
    const bytes = Buffer.from(text);
    const first = bytes.indexOf(Buffer.from('图'));
    for (const cut of [first + 1, first + 2, bytes.indexOf(Buffer.from('存')) + 1]) {
      const r = await diagnoseChunks(splitAt(bytes, [cut]));
      expect(r.rows[0]!.observed.message, `cut at ${cut}`).toBe('图名称 kg_prod 已存在');
    }
  });

  it('reads a response cut inside its CRLFs and inside the JSON strings', async () => {
    const bytes = readFileSync(fixture('diagnose/curl-i-crlf.txt'));
    const crlf = [...bytes.keys()].filter((i) => bytes[i] === 13).map((i) => i + 1);
    const inString = bytes.indexOf(Buffer.from('movies')) + 3;
    const r = await diagnoseChunks(splitAt(bytes, [...crlf.slice(0, 4), inString, bytes.indexOf(Buffer.from('GES.8')) + 2].sort((a, b) => a - b)));
    expect(r.rows[0]).toMatchObject({ code: 'GES.8000', observed: { httpStatus: 404, requestId: '4c1f0e9d8b7a6c5d4e3f2a1b0c9d8e7f', message: 'graph [movies] is not found' } });
  });

  it('reads every record whole in input far larger than the scanner window, cut into any chunk size', async () => {
    // 3,000 responses, each with its own code, status, id and message, at irregular distances, so
    // that some straddle every internal window boundary (the HTTP head before it, the body after).
    const parts: string[] = [];
    const expected: { code: string; line: number; observed: { httpStatus: number; requestId: string; message: string } }[] = [];
    let line = 1;
    for (let k = 0; k < 3000; k++) {
      const pad = 1 + ((k * 7919) % 5);
      for (let i = 0; i < pad; i++) parts.push(`INFO ${'.'.repeat((k + i) % 97)} nothing here\n`);
      line += pad;
      const code = `GES.9${String(k).padStart(4, '0')}`;
      const status = 400 + (k % 100);
      parts.push(`HTTP/1.1 ${status} X\r\nX-Request-Id: req-${k}-abcdef\r\n\r\n{\r\n  "errorCode": "${code}",\r\n  "errorMessage": "message ${k} ${'m'.repeat(k % 50)}"\r\n}\r\n`);
      expected.push({ code, line: line + 4, observed: { httpStatus: status, requestId: `req-${k}-abcdef`, message: `message ${k} ${'m'.repeat(k % 50)}`.trim() } });
      line += 7;
    }
    const bytes = Buffer.from(parts.join(''));
    expect(bytes.length).toBeGreaterThan(1_000_000);
    const whole = findings(await diagnoseChunks([bytes]));
    const got = Object.fromEntries(whole.rows.map((r) => [r.code, { line: r.firstLine, count: r.count, observed: r.observed }]));
    for (const e of expected) expect(got[e.code], e.code).toEqual({ line: e.line, count: 1, observed: e.observed });
    for (const size of [4096, 65536, 99991, 1 << 20]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(findings(await diagnoseChunks(chunks)), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('survives producers that reuse their chunk buffer (as the file reader does)', async () => {
    const bytes = readFileSync(fixture('diagnose/mixed-app.log'));
    const shared = Buffer.alloc(7);
    const { report } = await diagnoseSources(catalog, [
      {
        name: 'reused',
        open: async function* () {
          for (let i = 0; i < bytes.length; i += 7) {
            const n = bytes.copy(shared, 0, i, i + 7);
            yield shared.subarray(0, n);
            shared.fill(0x7b); // '{': garbage that would break the findings if kept
          }
        },
      },
    ]);
    expect(findings(report)).toEqual(findings(await diagnoseChunks([bytes])));
  });
});

describe('long lines', () => {
  it('finds codes anywhere in a 5 MB line without a newline, with the record around each', async () => {
    const filler = 'x'.repeat(997) + ' ';
    const codes = ['GES.7001', 'GES.7002', 'GES.7003', 'GES.8001', 'GES.8002', 'APIGW.0301', 'APIGW.0302', 'GES.7018'];
    let s = '';
    for (let i = 0; i < 5000; i++) {
      s += filler;
      if (i % 625 === 311) {
        const code = codes[(i - 311) / 625]!;
        s += `{"error_code":"${code}","error_msg":"m-${code}","request_id":"rid-${code}"} `;
      }
    }
    const bytes = Buffer.from(s + '\n{"errorCode":"GES.7000","errorMessage":"on line two"}\n');
    const r = await diagnoseChunks([bytes]);
    expect(r.summary.lines).toBe(2);
    for (const code of codes) {
      const row = r.rows.find((x) => x.code === code);
      expect(row, code).toMatchObject({ count: 1, firstLine: 1, observed: { message: `m-${code}`, requestId: `rid-${code}` } });
    }
    expect(r.rows.find((x) => x.code === 'GES.7000')).toMatchObject({ firstLine: 2, observed: { message: 'on line two' } });
    const chunked: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65521) chunked.push(bytes.subarray(i, i + 65521));
    expect(findings(await diagnoseChunks(chunked))).toEqual(findings(r));
  });

  it('bounds what it keeps of a huge server message', async () => {
    const r = await diagnoseChunks([Buffer.from(`{"errorCode":"GES.7000","errorMessage":"${'long '.repeat(20000)}"}\n`)]);
    expect(r.rows[0]!.observed.message!.length).toBeLessThanOrEqual(1001);
  });
});

describe('encodings', () => {
  const text = 'HTTP/1.1 400 Bad Request\r\nX-Request-Id: 0a0b0c0d0e0f\r\n\r\n{"errorCode":"GES.7013","errorMessage":"图名称已存在"}\r\n';
  const expected = { code: 'GES.7013', observed: { httpStatus: 400, requestId: '0a0b0c0d0e0f', message: '图名称已存在' } };
  const utf16le = Buffer.from(text, 'utf16le');
  const utf16be = Buffer.from(utf16le).swap16();
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-16LE with BOM (PowerShell)', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])],
    ['UTF-16LE without BOM', utf16le],
  ])('reads %s, also cut at odd places', async (_, bytes) => {
    expect((await diagnoseChunks([bytes])).rows[0]).toMatchObject(expected);
    expect((await diagnoseChunks(splitAt(bytes, [1, 3, 66, 67, bytes.length - 9]))).rows[0]).toMatchObject(expected);
  });

  it('detects encodings from the first bytes', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x7b]))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x7b, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x7b]))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(detectEncoding(Buffer.from('{"a":1}'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(Buffer.from('图名称已存在'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
  });

  it('does not crash on invalid UTF-8 and still finds the error', async () => {
    const bytes = Buffer.concat([Buffer.from('garbage \xff\xfe\x80\xc3 then '), Buffer.from('{"errorCode":"GES.7000","errorMessage":"bad '), Buffer.from([0xe5, 0x9b]), Buffer.from(' byte"}\n')]);
    const r = await diagnoseChunks([bytes]);
    expect(r.rows[0]).toMatchObject({ code: 'GES.7000', count: 1 });
    expect(r.rows[0]!.observed.message).toMatch(/^bad \uFFFD+ byte$/);
  });

  it('reads UTF-16 piped into the CLI', async () => {
    const r = await runFake(['--json'], { stdin: Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]) });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).results[0].observed.message).toBe('图名称已存在');
  });
});

describe('a file read straight into the scanner (DiagnoseSource.reader)', () => {
  /** A reader over bytes that returns at most `step` bytes a read; it records whether it was closed. */
  function readerOver(bytes: Buffer, step: number) {
    let at = 0;
    const state = { closed: false, reads: 0 };
    const reader = {
      read(into: Uint8Array): number {
        state.reads++;
        const n = Math.min(step, into.length, bytes.length - at);
        bytes.copy(into, 0, at, at + n);
        at += n;
        return n;
      },
      close() {
        state.closed = true;
      },
    };
    return { reader, state };
  }

  async function viaReader(bytes: Buffer, step: number) {
    const { reader, state } = readerOver(bytes, step);
    const { report } = await diagnoseSources(catalog, [
      {
        name: 'app.log',
        open: () => {
          throw new Error('open() is not used when a reader is given');
        },
        reader: () => reader,
      },
    ]);
    return { findings: findings(report), state };
  }

  const chunks: string[] = [];
  generateLog({ lines: 30000, seed: 5, write: (c) => chunks.push(c) });
  const log = Buffer.from(chunks.join(''));
  const http = 'HTTP/1.1 400 Bad Request\r\nX-Request-Id: 0a0b0c0d0e0f\r\n\r\n{"errorCode":"GES.7013","errorMessage":"图名称已存在"}\r\n';
  const CASES: [string, Buffer][] = [
    ['a generated log of 2.5 MB', log],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), log.subarray(0, 400_000)])],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(http.repeat(50), 'utf16le')])],
    ['a response shorter than the encoding sniff', Buffer.from('{"errorCode":"GES.7018"}')],
    ['nothing', Buffer.alloc(0)],
  ];

  it.each(CASES)('%s: the same findings as read through open(), in whole reads and in short ones, and the file closed', async (_, bytes) => {
    expect(log.length).toBeGreaterThan(2 * (1 << 20)); // past the ring and past the first MiB
    const want = findings(await diagnoseChunks([bytes]));
    for (const step of [128 * 1024, 4096, 63, 1]) {
      if (step === 1 && bytes.length > 100_000) continue;
      const got = await viaReader(bytes, step);
      expect(got.findings, `reads of ${step} bytes`).toEqual(want);
      expect(got.state.closed).toBe(true);
    }
  });

  it('a read error part-way reports the input unreadable, keeps what was read, and closes the file', async () => {
    const { reader, state } = readerOver(log, 256 * 1024);
    let reads = 0;
    const failing = {
      read: (into: Uint8Array) => {
        if (++reads === 4) throw Object.assign(new Error('input/output error'), { code: 'EIO' });
        return reader.read(into);
      },
      close: () => reader.close(),
    };
    const errors: string[] = [];
    const { report, unreadable } = await diagnoseSources(catalog, [{ name: 'app.log', open: () => { throw new Error('unused'); }, reader: () => failing }], { onReadError: (n, e) => errors.push(`${n}: ${(e as Error).message}`) });
    expect(unreadable).toEqual(['app.log']);
    expect(errors).toEqual(['app.log: input/output error']);
    expect(state.closed).toBe(true);
    expect(report.summary.bytes).toBe(3 * 128 * 1024);
    expect(report.rows.length).toBeGreaterThan(0);
  });
});

describe('a generated log', () => {
  const chunks: string[] = [];
  const manifest = generateLog({ lines: 40000, seed: 11, write: (c) => chunks.push(c) });
  const text = chunks.join('');

  it('matches the generator: counts, first and last lines, ordering, totals', async () => {
    const r = await diagnoseChunks([Buffer.from(text)]);
    expect(r.summary.lines).toBe(manifest.lines);
    const expected = Object.entries(manifest.codes)
      .map(([code, m]) => ({ code, ...m }))
      .sort((a, b) => b.count - a.count || a.firstLine - b.firstLine);
    expect(r.rows.map((x) => ({ code: x.code, count: x.count, firstLine: x.firstLine, lastLine: x.lastLine }))).toEqual(expected);
    expect(r.summary.total).toBe(expected.reduce((n, e) => n + e.count, 0));
    expect(r.summary.distinct).toBe(expected.length);
    expect(r.notFound.map((n) => n.code)).toEqual(['VPC.0201']);
    // at most 100 line numbers are kept per code, the first ones
    const top = r.rows[0]!;
    expect(top.count).toBeGreaterThan(100);
    expect(top.lines).toHaveLength(100);
    expect(top.lines[0]).toBe(top.firstLine);
    expect([...top.lines].sort((a, b) => a - b)).toEqual(top.lines);
  });

  it('gives the same summary through the CLI in small chunks', async () => {
    const bytes = Buffer.from(text);
    const stdin: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 8191) stdin.push(bytes.subarray(i, i + 8191));
    const r = await runFake(['diagnose', '--json'], { stdin });
    const doc = JSON.parse(r.stdout) as { results: { code: string; count: number; firstLine: number; lastLine: number }[]; summary: { lines: number } };
    expect(doc.summary.lines).toBe(manifest.lines);
    for (const res of doc.results) expect({ count: res.count, firstLine: res.firstLine, lastLine: res.lastLine }, res.code).toEqual(manifest.codes[res.code]);
  });
});

describe('bounded state', () => {
  it('tracks at most 5,000 distinct codes and counts the rest as untracked', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5005; i++) lines.push(`{"code":"ZZ${i}.0001"}`);
    const r = await diagnoseChunks([Buffer.from(lines.join('\n') + '\n')]);
    expect(r.summary.distinct).toBe(5000);
    expect(r.summary.untracked).toBe(5);
    expect(r.rows[0]!.code).toBe('ZZ0.0001');
  });
});

describe('code keys in a long log', () => {
  // The first MiB of an input is searched for every code key; past it, for keys written as JSON,
  // Python and the SDKs write them ("code", 'code', error_code, errorCode): a bare `code=` there is not read.
  const KEYS = [
    ['"code":"VPC.0201"', 'VPC.0201', true],
    ["{'code': 'ECS.0001'}", 'ECS.0001', true],
    ['error_code:IAM.0001,', 'IAM.0001', true],
    ['"errorCode": "ges.7018"', 'GES.7018', true],
    ['ErrorCode=DLI.0002', 'DLI.0002', true],
    ['code=RDS.0003', 'RDS.0003', false],
    ['errcode: CCE.0004', 'CCE.0004', false],
  ] as const;
  const filler = 'INFO routine line without anything of interest, just text\n'.repeat(40_000); // 2.4 MB

  it.each(KEYS)('%s: found in the first MiB', async (text, code) => {
    const r = await diagnoseChunks([Buffer.from(`${text}\n${filler}`)]);
    expect(r.rows.map((x) => [x.code, x.firstLine])).toEqual([[code, 1]]);
  });

  it.each(KEYS)('%s past the first MiB: found (as %s) only in the notations searched there: %s', async (text, code, anchored) => {
    const r = await diagnoseChunks([Buffer.from(`${filler}${text}\n`)]);
    expect(r.rows.map((x) => [x.code, x.firstLine])).toEqual(anchored ? [[code, 40_001]] : []);
  });
});

describe('prefix and key searches in a long log, whatever its characters', () => {
  // Past the first MiB each literal ("GES.", "APIG", "_code" ...) is searched from its rarest
  // character in the input (a speed-up: memchr stops less often). The positions found must not
  // depend on that choice: the same codes on the same lines for inputs of different make-up.
  const fillers = {
    'rich in G and A (DEBUG, GET)': 'DEBUG GET AAAA GGGG routine line GAG AGA\n',
    'rich in S, P and dots': 'SSSS. PPPP. S.S.S. IIII routine line P.P.\n',
    'rich in quotes and underscores': '"_"_"_ \'\' CCCC routine line "__" __\n',
    plain: 'INFO routine line without anything of interest, just text\n',
  };
  const tail = [
    'GES.7018 at the start of a line',
    'xGES.7018 GGES.7018 SGES.7018 GES.GES.7018 are not codes (a word character before them)',
    'APIGW.0101 and APIG.0101 (a lookalike) and AAPIGW.0102 (not a code)',
    '"error_code":"VPC.0201" then {\'code\': \'ECS.0001\'} then errorCode=GES.7023',
    'ES.7018 S.7018 PIG.0101 PIGW.0101 are only tails of the literals',
  ].join('\n');

  const expected = async (filler: string) => {
    const lines = Math.ceil((1.5 * (1 << 20)) / filler.length);
    const r = await diagnoseChunks([Buffer.from(`${filler.repeat(lines)}${tail}\n`)]);
    return r.rows.map((x) => [x.code, x.count, x.firstLine - lines]).sort();
  };

  it.each(Object.entries(fillers))('filler %s', async (_name, filler) => {
    expect(await expected(filler)).toEqual(
      [
        ['APIG.0101', 1, 3],
        ['APIGW.0101', 1, 3],
        ['ECS.0001', 1, 4],
        ['GES.7018', 2, 1],
        ['GES.7023', 1, 4],
        ['VPC.0201', 1, 4],
      ].sort(),
    );
  });
});
