// Generates a realistic application log with GES/APIGW errors in every shape diagnose reads, plus
// the exact expected summary (a manifest), for the diagnose tests and the throughput benchmark.
//
//   node scripts/gen-log.mjs --size 300M [--seed 1] [--error-every 20] [--manifest m.json] --out app.log
//   node scripts/gen-log.mjs --lines 5000 > small.log
//
// Deterministic for a given seed. Every error record puts its code on exactly one line, and the
// manifest counts one occurrence per record, which is how diagnose counts.

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (r, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};

// Codes with their documented status and a server message as a real server words it. The weights
// give a clear count ordering (Zipf-like), so a test can check the sort.
export const CODES = [
  { code: 'GES.7000', status: 400, msg: 'The graph does not exist or has been deleted.', weight: 30 },
  { code: 'APIGW.0301', status: 401, msg: 'Incorrect IAM authentication information: decrypt token fail', weight: 22 },
  { code: 'GES.8001', status: 400, msg: 'graph [demo] is not found', weight: 16 },
  { code: 'APIGW.0201', status: 504, msg: 'Backend timeout.', weight: 12 },
  { code: 'GES.7018', status: 400, msg: 'The number of graphs or edges reaches the upper limit.', weight: 9 },
  { code: 'GES.8000', status: 404, msg: 'Not found. Please check the input parameters.', weight: 6 },
  { code: 'APIGW.0308', status: 429, msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute', weight: 4 },
  { code: 'VPC.0201', status: 400, msg: 'Subnet gateway or CIDR is invalid.', weight: 2 },
  { code: 'GES.7006', status: 500, msg: 'An internal error occurs in the underlying service of the graph engine.', weight: 1 },
];

const TOTAL_WEIGHT = CODES.reduce((n, c) => n + c.weight, 0);

function pickCode(r) {
  let x = r() * TOTAL_WEIGHT;
  for (const c of CODES) if ((x -= c.weight) < 0) return c;
  return CODES[0];
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

function timestamp(i) {
  const ms = i * 7;
  const s = Math.floor(ms / 1000);
  return `2024-05-01T${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(ms % 1000, 3)}Z`;
}

const GRAPHS = ['movies', 'social', 'kg_prod', 'fraud-ring', 'demo'];
const THREADS = ['http-nio-8080-exec-3', 'main', 'pool-2-thread-1', 'scheduler-7'];

// Ordinary lines: timestamps with milliseconds, hostnames, versions, IPs, JSON logs and access logs,
// everything that must not be mistaken for an error.
function normalLine(r, i) {
  const ts = timestamp(i);
  const g = GRAPHS[Math.floor(r() * GRAPHS.length)];
  switch (Math.floor(r() * 6)) {
    case 0:
      return `${ts} INFO  [${THREADS[Math.floor(r() * 4)]}] c.e.graph.QueryService - query ok graph=${g} latency=${Math.floor(r() * 900)}ms rows=${Math.floor(r() * 5000)}`;
    case 1:
      return `${ts} DEBUG [main] o.a.h.c.PoolingHttpClientConnectionManager - Connection leased: [route: {s}->https://ges.cn-north-4.myhuaweicloud.com:443][total available: 2; route allocated: 1 of 20; total allocated: 3 of 200]`;
    case 2:
      return `{"ts":"${ts}","level":"info","msg":"graph query ok","graph":"${g}","latency_ms":${Math.floor(r() * 900)},"request_id":"${hex(r, 32)}","sdk":"huaweicloudsdkges/3.1.86"}`;
    case 3:
      return `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)} - - [01/May/2024:12:00:00 +0800] "GET /v1.0/0970d7b7e500f2472fc1c003578ce443/graphs/${g} HTTP/1.1" 200 ${Math.floor(r() * 9000)} "-" "python-requests/2.31.0"`;
    case 4:
      return `${ts} INFO  [scheduler-7] c.e.graph.ImportJob - job ${hex(r, 16)} progress 0.${Math.floor(r() * 100)} (v1.0 api, python3.10, openjdk 17.0.9)`;
    default:
      return `${ts} WARN  [pool-2-thread-1] c.e.graph.Retry - slow response from ges.cn-north-4.myhuaweicloud.com after ${Math.floor(r() * 3000)}ms, will keep polling`;
  }
}

// How the Huawei Cloud Terraform provider words each status before "[METHOD URL]".
const TERRAFORM = {
  400: 'Bad request with',
  401: 'Authentication failed',
  404: 'Resource not found',
  429: 'Too many requests',
  500: 'Internal Server Error',
  504: 'Gateway timeout',
};

/**
 * One error record: an array of lines and the index of the line that holds the code. The shapes
 * cover bodies (v1, v2, APIGW, code/message), SDK prints, Terraform and curl transcripts.
 */
function errorRecord(r, i, c) {
  const ts = timestamp(i);
  const rid = hex(r, 32);
  const v1 = `{"errorCode":"${c.code}","errorMessage":"${c.msg}"}`;
  const v2 = `{"error_code":"${c.code}","error_msg":"${c.msg}","request_id":"${rid}"}`;
  const other = `{"code":"${c.code}","message":"${c.msg}"}`;
  const body = c.code.startsWith('APIGW') ? v2 : c.code.startsWith('GES') ? (r() < 0.5 ? v1 : v2) : other;
  switch (Math.floor(r() * 8)) {
    case 0:
      return { lines: [`${ts} ERROR [http-nio-8080-exec-3] c.e.graph.GesClient - request failed: status=${c.status} request_id=${rid} body=${body}`], at: 0 };
    case 1:
      return { lines: [`{"ts":"${ts}","level":"error","msg":"ges call failed","status":${c.status},"request_id":"${rid}","body":${body}}`], at: 0 };
    case 2:
      return {
        lines: [`${ts} ERROR ClientRequestException - {status_code:${c.status},request_id:${rid},error_code:None,error_msg:${body},encoded_authorization_message:None }`],
        at: 0,
      };
    case 3:
      return {
        lines: [`${ts} ERROR {"status_code":${c.status},"request_id":"${rid}","error_code":"","error_message":${JSON.stringify(body)},"encoded_authorization_message":""}`],
        at: 0,
      };
    case 4:
      return {
        lines: [`${ts} ERROR terraform: Error: error creating graph: ${TERRAFORM[c.status] ?? 'Bad request with'}: [POST https://ges.cn-north-4.myhuaweicloud.com/v2/0970d7b7e500f2472fc1c003578ce443/graphs], request_id: ${rid}, error message: ${body}`],
        at: 0,
      };
    case 5:
      return {
        lines: [
          `HTTP/1.1 ${c.status} ${c.status === 404 ? 'Not Found' : c.status >= 500 ? 'Gateway Timeout' : 'Bad Request'}`,
          'Content-Type: application/json;charset=utf8',
          `X-Request-Id: ${rid}`,
          'Server: api-gateway',
          '',
          '{',
          `  "${c.code.startsWith('GES') ? 'errorMessage' : 'error_msg'}": "${c.msg}",`,
          `  "${c.code.startsWith('GES') ? 'errorCode' : 'error_code'}": "${c.code}"`,
          '}',
        ],
        at: 7,
      };
    case 6:
      return {
        lines: [
          `${ts} ERROR [main] c.e.graph.GesClient - call failed`,
          'com.huaweicloud.sdk.core.exception.ClientRequestException: ClientRequestException {',
          `    httpStatusCode: ${c.status}`,
          '    errorCode: null',
          `    errorMsg: ${body}`,
          `    requestId: ${rid}`,
          '}',
        ],
        at: 4,
      };
    default:
      return { lines: [`${ts} ERROR [OPENAPI_ERROR] status ${c.status}, request id: ${rid}, response: ${body}`], at: 0 };
  }
}

/**
 * Write a log through `write(chunk)` until `size` bytes or `lines` lines. Returns the manifest:
 * lines written and, per code, {count, firstLine, lastLine}.
 */
export function generateLog({ size = Infinity, lines = Infinity, seed = 1, errorEvery = 20, write }) {
  const r = rng(seed);
  const codes = new Map();
  let line = 0;
  let bytes = 0;
  let batch = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length) write(batch.join('\n') + '\n');
    batch = [];
    batchBytes = 0;
  };
  while (bytes < size && line < lines) {
    let out;
    if (r() * errorEvery < 1) {
      const c = pickCode(r);
      const rec = errorRecord(r, line, c);
      if (line + rec.lines.length > lines) break;
      out = rec.lines;
      const at = line + rec.at + 1;
      const m = codes.get(c.code);
      if (m) {
        m.count++;
        m.lastLine = at;
      } else codes.set(c.code, { count: 1, firstLine: at, lastLine: at });
    } else out = [normalLine(r, line)];
    for (const l of out) {
      batch.push(l);
      batchBytes += l.length + 1;
    }
    bytes += out.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    line += out.length;
    if (batchBytes > 1 << 20) flush();
  }
  flush();
  return { lines: line, bytes, codes: Object.fromEntries([...codes].sort((a, b) => b[1].count - a[1].count)) };
}

function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(String(s));
  if (!m) throw new Error(`bad size: ${s}`);
  return Math.floor(Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()]);
}

function writeAllSync(fd, s) {
  const buf = Buffer.from(s);
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      // stdout may be a non-blocking pipe: wait for the reader instead of failing.
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function main(argv) {
  const opt = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    opt[a.slice(2)] = argv[++i];
  }
  const fd = opt.out ? openSync(opt.out, 'w') : 1;
  const manifest = generateLog({
    size: opt.size ? parseSize(opt.size) : Infinity,
    lines: opt.lines ? Number(opt.lines) : opt.size ? Infinity : 10000,
    seed: Number(opt.seed ?? 1),
    errorEvery: Number(opt['error-every'] ?? 20),
    write: (s) => writeAllSync(fd, s),
  });
  if (opt.out) closeSync(fd);
  if (opt.manifest) writeFileSync(opt.manifest, JSON.stringify(manifest, null, 2) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gen-log: ${e.message}\n`);
    process.exitCode = 2;
  }
}
