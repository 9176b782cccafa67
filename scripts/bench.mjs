// `npm run bench`: measures ges-err's start-up, log-scanning throughput and memory side by side with
// the floors it is compared to (`node -e 0`, a grep pipeline), and prints one table of ratios.
//
//   node scripts/bench.mjs [--quick] [--pairs N] [--only REGEX] [--log-mb N] [--no-build] [--json]
//
// Method: each case alternates runs of ges-err and of its baseline (A B, then B A, ...), so drift in
// the machine's load hits both sides alike; the ratio is the median of the per-pair ratios. Every
// child runs with NODE_EXTRA_CA_CERTS unset (it adds tens of ms to every Node start and would hide
// the difference being measured), with stdout a pipe (plain output, what scripts see), and with a
// private cache folder under .bench/ so the result does not depend on the state of ~/.cache.
// Generated inputs (a log of ≥ 300 MB, a 50,000-code catalog) are written once to .bench/.
// The targets are the issue's, but for two marked "own" (a lookup and a listing that load a bundle
// instead of printing a page), which this project set itself; the exit status is 1 when one of the
// issue's targets is missed.

import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The seeded PRNG of the log generator, so every machine benchmarks the same bytes.
import { rng } from './gen-log.mjs';
import { measuredEnv, median, quantile } from './measure-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const benchDir = path.join(root, '.bench');
const BIN = path.join(root, 'bin/ges-err.cjs');
const NODE = process.execPath;

// ---- options ------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { quick: false, pairs: undefined, only: undefined, logMb: 300, build: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--pairs') o.pairs = Number(argv[++i]);
    else if (a === '--only') o.only = new RegExp(argv[++i], 'i');
    else if (a === '--log-mb') o.logMb = Number(argv[++i]);
    else if (a === '--no-build') o.build = false;
    else if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(
        'usage: node scripts/bench.mjs [--quick] [--pairs N] [--only REGEX] [--log-mb N] [--no-build] [--json]\n' +
          '  --quick      5 pairs per case instead of 31 (for development; not for the figures)\n' +
          '  --pairs N    pairs per case (default 31; the issue asks for at least 21)\n' +
          '  --only RE    run only the cases whose name matches RE\n' +
          '  --log-mb N   size of the large generated log (default 300; the small one is N/10)\n' +
          '  --no-build   measure dist/ as it is instead of running the build first\n' +
          '  --json       also write the results as JSON to .bench/results.json\n',
      );
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  o.pairs ??= o.quick ? 5 : 31;
  if (!(o.pairs >= 1) || !(o.logMb >= 10)) {
    process.stderr.write('bench: --pairs must be ≥ 1 and --log-mb ≥ 10\n');
    process.exit(2);
  }
  return o;
}

// ---- deterministic generated inputs ------------------------------------------------------------

/** Codes and English messages of the bundled catalog, to make generated logs realistic. */
function bundledCodes() {
  const out = [];
  for (const f of ['ges-management-plane.json', 'ges-service-plane.json', 'apigw.json']) {
    const cat = JSON.parse(fs.readFileSync(path.join(root, 'catalog', f), 'utf8'));
    for (const e of cat.entries) {
      const v = e.variants[0];
      const m = v.message.en ?? v.message.zh;
      out.push({ code: e.code, status: v.httpStatus ?? 500, message: typeof m === 'string' ? m : m.text });
    }
  }
  return out;
}

const LOG_VERSION = 1;

/**
 * An application log as a GES client writes it: mostly routine lines, and about one line in twenty
 * carrying an error in one of the shapes the reference describes (GES v1.0 and v2 bodies, service
 * plane, APIGW, Python/Go/Java SDK prints, Terraform), plus other services' codes and look-alikes
 * that are not GES codes.
 */
function generateLog(file, bytes) {
  const codes = bundledCodes();
  const r = rng(7018);
  const pick = (a) => a[Math.floor(r() * a.length)];
  // A skewed choice of codes, as real logs repeat a few errors many times.
  const hot = codes.slice(0, 12);
  const code = () => (r() < 0.7 ? pick(hot) : pick(codes));
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
    return s;
  };
  const esc = (s) => JSON.stringify(s).slice(1, -1);
  const routine = [
    () => `INFO  [graph-client] query ok graph=g${Math.floor(r() * 40)} latency_ms=${Math.floor(r() * 900)} rows=${Math.floor(r() * 5000)} request_id=${hex(32)}`,
    () => `DEBUG [http] GET /ges/v1.0/0549b8fd3a00d4b12f5ac01234567890/graphs/movies/vertices/detail?limit=${Math.floor(r() * 1000)} -> 200 (${Math.floor(r() * 300)} ms)`,
    () => `INFO  [scheduler] job ${hex(8)}-${hex(4)} progress ${Math.floor(r() * 100)}% (port 7018, retries 0, GES client 2.3.${Math.floor(r() * 9)})`,
    () => `WARN  [pool] connection reuse slow: ${Math.floor(r() * 9000)} us for host ges.cn-north-4.myhuaweicloud.com; status=200 size=${Math.floor(r() * 99999)}`,
    () => `INFO  [import] loaded ${Math.floor(r() * 1e6)} edges from obs://bucket-${hex(4)}/graph/edges_${Math.floor(r() * 100)}.csv in ${Math.floor(r() * 60)} s`,
  ];
  const errors = [
    (c) => `ERROR [ges] POST /v1.0/0549b8fd3a00d4b12f5ac01234567890/graphs/g1/action?action_id=start failed: ${c.status} {"errorCode":"${c.code}","errorMessage":"${esc(c.message)}"}`,
    (c) => `ERROR [ges] v2 call failed: HTTP ${c.status} body={"error_code":"${c.code}","error_msg":"${esc(c.message)}"} X-Request-Id: ${hex(32)}`,
    (c) => `ERROR [gremlin] {"result":"failed","errorMessage":"${esc(c.message)}","errorCode":"${c.code}"}`,
    (c) => `ERROR [sdk] huaweicloudsdkcore.exceptions.exceptions.ClientRequestException: ClientRequestException - {status_code:${c.status},request_id:${hex(32)},error_code:${c.code},error_msg:${c.message} }`,
    (c) => `ERROR [sdk] {"status_code":${c.status},"request_id":"${hex(32)}","error_code":"","error_message":"${esc(JSON.stringify({ errorCode: c.code, errorMessage: c.message }))}","encoded_authorization_message":""}`,
    (c) => `ERROR [tf] Error: Bad request with: [POST https://ges.cn-north-4.myhuaweicloud.com/v2/0549b8fd/graphs], request_id: ${hex(32)}, error message: {"error_code":"${c.code}","error_msg":"${esc(c.message)}"}`,
    () => `ERROR [vpc] {"error_code":"VPC.0201","error_msg":"The VPC does not exist.","request_id":"${hex(32)}"}`,
  ];
  const fd = fs.openSync(file + '.tmp', 'w');
  let written = 0;
  let line = 0;
  const t0 = Date.parse('2026-11-28T00:00:00Z');
  while (written < bytes) {
    const parts = [];
    for (let i = 0; i < 8192; i++) {
      const ts = new Date(t0 + line * 37).toISOString();
      line++;
      const body = r() < 0.05 ? pick(errors)(code()) : pick(routine)();
      parts.push(`${ts} ${body}\n`);
    }
    const buf = Buffer.from(parts.join(''));
    fs.writeSync(fd, buf);
    written += buf.length;
  }
  fs.closeSync(fd);
  fs.renameSync(file + '.tmp', file);
}

const CATALOG_VERSION = 2;

/**
 * A user catalog of 50,000 codes in 10 families of internal services, pretty-printed as a person
 * would keep it: every entry has English and Chinese messages, half a description, a third
 * remediation steps in both languages, some several variants; about 0.2 % mention a quota, so
 * `search quota` finds some hundred entries, as a search term in a real catalog would.
 */
function generateCatalog(file, count) {
  const r = rng(50000);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const things = [
    ['order', '订单'], ['payment', '支付'], ['invoice', '发票'], ['tenant', '租户'], ['graph', '图'],
    ['bucket', '桶'], ['token', '令牌'], ['lease', '租约'], ['vertex', '点'], ['edge', '边'],
    ['schema', '模式'], ['job', '作业'], ['snapshot', '快照'], ['backup', '备份'], ['index', '索引'],
    ['user', '用户'], ['role', '角色'], ['policy', '策略'], ['region', '区域'], ['certificate', '证书'],
  ];
  const states = [
    ['does not exist', '不存在'], ['already exists', '已存在'], ['is locked', '已锁定'], ['has expired', '已过期'],
    ['is invalid', '无效'], ['exceeds the limit', '超出限制'], ['is being deleted', '正在删除'], ['is not running', '未运行'],
    ['is too large', '过大'], ['cannot be modified', '不能修改'], ['is not authorized', '未授权'], ['timed out', '超时'],
  ];
  const fixes = [
    ['Check the request parameters and try again.', '检查请求参数后重试。'],
    ['Wait a few minutes and retry the request.', '等待几分钟后重试请求。'],
    ['Contact the administrator of the tenant.', '联系租户管理员。'],
    ['Raise the limit in the console, then retry.', '在控制台提高限制后重试。'],
    ['Delete unused resources to free capacity.', '删除未使用的资源以释放容量。'],
    ['Renew the credential and sign the request again.', '更新凭证并重新签名请求。'],
  ];
  const statuses = [400, 400, 400, 401, 403, 404, 404, 409, 429, 500, 503];
  const families = ['ORD', 'PAY', 'INV', 'TEN', 'GRF', 'OBJ', 'TOK', 'QTA', 'JOB', 'IAM'];
  const per = Math.ceil(count / families.length);
  const entries = [];
  for (const fam of families) {
    for (let n = 0; n < per && entries.length < count; n++) {
      const variants = [];
      const nv = r() < 0.05 ? 2 : 1;
      for (let k = 0; k < nv; k++) {
        const [t, tz] = pick(things);
        const [s, sz] = pick(states);
        const v = { httpStatus: pick(statuses), message: { en: `The ${t} ${s}.`, zh: `${tz}${sz}。` } };
        if (r() < 0.5) v.description = { en: `The ${t} named in the request ${s}; request ${fam}-${n} cannot continue.` };
        // A search term should find a few entries, as in a real catalog, not a fifth of them.
        if (r() < 0.002) v.description = { en: `The tenant's ${t} quota is used up.`, zh: `租户的${tz}配额已用完。` };
        if (r() < 0.33) {
          const [f1, z1] = pick(fixes);
          const [f2, z2] = pick(fixes);
          v.remediation = { en: [f1, f2], zh: [z1, z2] };
        }
        if (r() < 0.2) v.retryable = true;
        variants.push(v);
      }
      entries.push({ code: `${fam}.${String(10000 + n).padStart(5, '0')}`, variants });
    }
  }
  const cat = {
    schemaVersion: 1,
    id: 'acme-internal',
    family: 'acme',
    familyName: { en: 'ACME internal services', zh: 'ACME 内部服务' },
    version: '2026.11',
    entries,
  };
  fs.writeFileSync(file + '.tmp', JSON.stringify(cat, null, 2) + '\n');
  fs.renameSync(file + '.tmp', file);
}

function ensure(file, make, what) {
  if (fs.existsSync(file)) return;
  process.stderr.write(`bench: generating ${what} (${path.relative(root, file)}) ...\n`);
  make(file);
}

// ---- running ------------------------------------------------------------------------------------

const childEnv = measuredEnv(path.join(benchDir, 'cache'));

function runOnce(cmd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd.file, cmd.args, {
    env: cmd.env ?? childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
    shell: false,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function firstLine(buf) {
  const s = buf.toString('utf8').trim().split('\n')[0] ?? '';
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** What a run printed, in a few words, so a case whose command failed is visible in the table. */
function describeRun(r, expectStatus) {
  if (r.status === expectStatus) return `exit ${r.status}, ${r.stdout.length} B out`;
  return `UNEXPECTED exit ${r.status}: ${firstLine(r.stderr) || firstLine(r.stdout)}`;
}

/**
 * Alternate A and B `pairs` times (ABBA order), after warm-up; returns medians, the pair ratio (the
 * median of the per-pair ratios) and the middle half of those ratios (their quartiles).
 */
function pairUp(a, b, pairs, warmup) {
  let checkA;
  for (let i = 0; i < warmup; i++) {
    checkA = runOnce(a);
    runOnce(b);
  }
  const as = [];
  const bs = [];
  const ratios = [];
  for (let i = 0; i < pairs; i++) {
    let ra, rb;
    if (i % 2 === 0) {
      ra = runOnce(a);
      rb = runOnce(b);
    } else {
      rb = runOnce(b);
      ra = runOnce(a);
    }
    as.push(ra.ms);
    bs.push(rb.ms);
    ratios.push(ra.ms / rb.ms);
    checkA ??= ra;
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), spread: [quantile(ratios, 0.25), quantile(ratios, 0.75)], check: checkA };
}

const gesErr = (...args) => ({ file: NODE, args: [BIN, ...args], label: `ges-err ${args.map((x) => (/\s/.test(x) ? JSON.stringify(x) : x)).join(' ')}` });
const nodeFloor = { file: NODE, args: ['-e', '0'], label: 'node -e 0' };

/**
 * Minor page faults of one run (GNU time's %R), or undefined without GNU time. Shown beside each
 * start-up ratio: on a shared machine's slow hours a fault costs several times more, and a case's
 * ratio grows with the faults it takes beyond `node -e 0`'s.
 */
function minorFaults(cmd) {
  const gnuTime = '/usr/bin/time';
  if (!fs.existsSync(gnuTime)) return undefined;
  // stdout a pipe, as in the timed runs (ges-err prints a page to a pipe, not to /dev/null).
  const r = spawnSync(gnuTime, ['-f', 'GES_ERR_BENCH_FAULTS=%R', cmd.file, ...cmd.args], { env: cmd.env ?? childEnv, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  const m = /GES_ERR_BENCH_FAULTS=(\d+)/.exec(r.stderr.toString());
  return m ? Number(m[1]) : undefined;
}

/** Peak resident memory of one run in MB: GNU time when installed, else a preload that asks Node. */
function peakRssMb(cmd) {
  const gnuTime = '/usr/bin/time';
  if (fs.existsSync(gnuTime)) {
    const r = spawnSync(gnuTime, ['-f', 'GES_ERR_BENCH_RSS_KB=%M', cmd.file, ...cmd.args], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const m = /GES_ERR_BENCH_RSS_KB=(\d+)/.exec(r.stderr.toString());
    if (m) return { mb: Number(m[1]) / 1024, how: 'GNU time %M' };
  }
  const out = path.join(benchDir, `rss-${process.pid}.txt`);
  const preload = path.join(benchDir, 'rss-preload.cjs');
  fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  spawnSync(cmd.file, ['--require', preload, ...cmd.args], { env: childEnv, stdio: ['ignore', 'ignore', 'ignore'] });
  const kb = Number(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
  return { mb: kb / 1024, how: 'process.resourceUsage().maxRSS' };
}

// ---- the cases ----------------------------------------------------------------------------------

function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(benchDir, { recursive: true });
  if (o.build) {
    process.stderr.write('bench: building (npm run build) ...\n');
    execFileSync(NODE, [path.join(root, 'scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!fs.existsSync(path.join(root, 'dist/ges-err.cjs'))) {
    process.stderr.write("bench: dist/ges-err.cjs is missing; run 'npm run build'\n");
    process.exit(2);
  }
  const bigMb = o.logMb;
  const smallMb = Math.round(bigMb / 10);
  const bigLog = path.join(benchDir, `app-${bigMb}mb.v${LOG_VERSION}.log`);
  const smallLog = path.join(benchDir, `app-${smallMb}mb.v${LOG_VERSION}.log`);
  const userCatalog = path.join(benchDir, `user-50000.v${CATALOG_VERSION}.json`);
  const wants = (name) => !o.only || o.only.test(name);

  const rows = [];
  const row = (r) => {
    rows.push(r);
    process.stderr.write(`bench: ${r.name}: ${r.value}  ratio ${r.ratio ?? '-'}  ${r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL'}\n`);
  };
  const fmt = (x, d = 1) => x.toFixed(d);
  // Ratios in three decimals, so that one over its target never prints as the target itself.
  const fmtRatio = (x) => fmt(x, 3);
  // The quartiles of a case's per-pair ratios: how far this machine's noise spread them.
  const spreadOf = ([q1, q3]) => `${fmt(q1, 2)}–${fmt(q3, 2)}`;
  let floorFaults;
  /** ", +N page faults" beyond node -e 0's (the median of 3 runs each), or nothing without GNU time. */
  const faultsNote = (cmd) => {
    const median3 = (c) => {
      const runs = [minorFaults(c), minorFaults(c), minorFaults(c)];
      return runs.includes(undefined) ? undefined : median(runs);
    };
    floorFaults ??= median3(nodeFloor);
    const mine = median3(cmd);
    if (floorFaults === undefined || mine === undefined) return { text: '', extra: undefined };
    const extra = mine - floorFaults;
    return { text: `, ${extra >= 0 ? '+' : ''}${extra} page faults`, extra };
  };

  // `own`: a target this project set itself, beyond the issue's (the "no page" runs); reported
  // apart, and it does not decide the exit status.
  const startup = (name, cmd, target, expectStatus = 0, own = false) => {
    if (!wants(name)) return;
    const m = pairUp(cmd, nodeFloor, o.pairs, 3);
    const faults = faultsNote(cmd);
    row({
      name,
      command: cmd.label,
      baseline: nodeFloor.label,
      value: `${fmt(m.a)} ms vs ${fmt(m.b)} ms`,
      ratio: fmtRatio(m.ratio),
      spread: spreadOf(m.spread),
      target: `≤ ${fmt(target, 2)}${own ? ' own' : ''}`,
      pass: m.ratio <= target && m.check.status === expectStatus,
      ...(own && { own: true }),
      note: describeRun(m.check, expectStatus) + faults.text,
      raw: { ms: m.a, baselineMs: m.b, ratio: m.ratio, quartiles: m.spread, extraPageFaults: faults.extra },
    });
  };

  // What any CLI written as a script file pays before its first line runs (module resolution,
  // reading and compiling the file): the floor under every ratio below, shown for reference.
  if (wants('empty .cjs script')) {
    const empty = path.join(benchDir, 'empty.cjs');
    fs.writeFileSync(empty, '');
    const m = pairUp({ file: NODE, args: [empty], label: 'node empty.cjs' }, nodeFloor, o.pairs, 3);
    row({ name: 'empty .cjs script', command: 'node empty.cjs', baseline: nodeFloor.label, value: `${fmt(m.a)} ms vs ${fmt(m.b)} ms`, ratio: fmtRatio(m.ratio), spread: spreadOf(m.spread), note: 'reference: the floor of any script file', raw: { ms: m.a, baselineMs: m.b, ratio: m.ratio } });
  }
  startup('lookup', gesErr('GES.7018'), 1.1);
  // To a pipe, `ges-err GES.7018` and `ges-err list` print the page the build rendered
  // (bin/ges-err.cjs); any other such run (a terminal's table, other options) loads a bundle. The
  // "no page" rows keep that path in view.
  startup('lookup, no page', { ...gesErr('GES.7018', '--format', 'plain'), label: 'ges-err GES.7018 --format plain (a bundle, as a terminal\'s run)' }, 1.1, 0, true);
  // A terminal's lookup draws a table in colour (cli-table3 and chalk, each from its code cache); to
  // a pipe, as here, it does all of that but ask node:tty for the width. No target: for reference.
  if (wants('lookup as a table in colour')) {
    const cmd = { ...gesErr('GES.7018', '--format', 'table', '--color', 'always', '--width', '100'), label: 'ges-err GES.7018 --format table --color always' };
    const m = pairUp(cmd, nodeFloor, o.pairs, 3);
    row({ name: 'lookup as a table in colour', command: cmd.label, baseline: nodeFloor.label, value: `${fmt(m.a)} ms vs ${fmt(m.b)} ms`, ratio: fmtRatio(m.ratio), spread: spreadOf(m.spread), note: `${describeRun(m.check, 0)}; what a terminal gets`, raw: { ms: m.a, baselineMs: m.b, ratio: m.ratio } });
  }
  startup('free text', gesErr('graph not running'), 1.2);
  startup('search', gesErr('search', 'quota'), 1.2);
  startup('list', gesErr('list'), 1.2);
  startup('list, no page', { ...gesErr('list', '--format', 'plain'), label: 'ges-err list --format plain (a bundle, as a terminal\'s run)' }, 1.2, 0, true);

  if (['user catalog lookup', 'user catalog lookup (bundled code)', 'user catalog search', 'user catalog, first run'].some(wants)) {
    ensure(userCatalog, (f) => generateCatalog(f, 50000), 'a 50,000-code user catalog');
    const mb = fs.statSync(userCatalog).size / 1e6;
    const note = `${fmt(mb)} MB catalog`;
    const cold = [];
    // The first run after a catalog changes validates it fully (and caches it); measured apart, as information.
    if (wants('user catalog, first run')) {
      for (let i = 0; i < Math.min(5, o.pairs); i++) {
        const env = { ...childEnv, XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'ges-err-bench-')) };
        cold.push(runOnce({ ...gesErr('--catalog', userCatalog, 'ORD.14242'), env }).ms);
        fs.rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
      }
    }
    // Later runs read the catalog's validated, indexed copy from the cache (the warm-up makes it).
    startup('user catalog lookup', { ...gesErr('--catalog', userCatalog, 'ORD.14242'), label: 'ges-err --catalog 50k.json ORD.14242' }, 1.5);
    startup('user catalog lookup (bundled code)', { ...gesErr('--catalog', userCatalog, 'GES.7018'), label: 'ges-err --catalog 50k.json GES.7018' }, 1.5);
    startup('user catalog search', { ...gesErr('--catalog', userCatalog, 'search', 'quota'), label: 'ges-err --catalog 50k.json search quota' }, 1.5);
    if (cold.length) row({ name: 'user catalog, first run', command: 'ges-err --catalog 50k.json ORD.14242 (empty cache)', value: `${fmt(median(cold))} ms`, note: `${note}; validates and caches it once`, raw: { ms: median(cold) } });
  }

  if (['diagnose throughput', 'diagnose peak RSS', 'diagnose peak RSS, log / 10', 'RSS growth (log / log÷10)'].some(wants)) {
    ensure(bigLog, (f) => generateLog(f, bigMb * 1e6), `a ${bigMb} MB log`);
    ensure(smallLog, (f) => generateLog(f, smallMb * 1e6), `a ${smallMb} MB log`);
    const size = fs.statSync(bigLog).size;
    const grep = {
      file: '/bin/sh',
      args: ['-c', `grep -oE '(GES|APIGW)\\.[0-9]{4}' "$1" | sort | uniq -c`, 'sh', bigLog],
      label: `grep -oE '(GES|APIGW)\\.[0-9]{4}' FILE | sort | uniq -c`,
    };
    const diag = { ...gesErr('diagnose', bigLog), label: `ges-err diagnose ${path.basename(bigLog)}` };
    const pairs = o.quick ? Math.min(o.pairs, 3) : o.pairs;
    const m = pairUp(diag, grep, pairs, 1);
    const mbps = (ms) => size / 1e6 / (ms / 1000);
    const ratio = m.b / m.a;
    row({
      name: 'diagnose throughput',
      command: diag.label,
      baseline: grep.label,
      value: `${fmt(mbps(m.a), 0)} MB/s vs ${fmt(mbps(m.b), 0)} MB/s`,
      ratio: fmtRatio(1 / m.ratio),
      spread: spreadOf([1 / m.spread[1], 1 / m.spread[0]]),
      target: '≥ 1.00',
      pass: 1 / m.ratio >= 1 && m.check.status === 0,
      note: `${fmt(size / 1e6, 0)} MB, ${pairs} pairs; ${describeRun(m.check, 0)}`,
      raw: { ms: m.a, baselineMs: m.b, ratio, pairRatio: 1 / m.ratio },
    });
    const rss = (file) => {
      const xs = [];
      let how;
      for (let i = 0; i < 3; i++) {
        const r = peakRssMb(gesErr('diagnose', file));
        xs.push(r.mb);
        how = r.how;
      }
      return { mb: median(xs), how };
    };
    const big = rss(bigLog);
    const small = rss(smallLog);
    row({ name: 'diagnose peak RSS', command: diag.label, value: `${fmt(big.mb)} MB`, target: '≤ 100 MB', pass: big.mb <= 100, note: `median of 3, ${big.how}`, raw: { mb: big.mb } });
    row({ name: 'diagnose peak RSS, log / 10', command: `ges-err diagnose ${path.basename(smallLog)}`, value: `${fmt(small.mb)} MB`, target: '≤ 100 MB', pass: small.mb <= 100, note: `median of 3, ${small.how}`, raw: { mb: small.mb } });
    const growth = big.mb / small.mb;
    row({ name: 'RSS growth (log / log÷10)', value: `${fmt(big.mb)} / ${fmt(small.mb)} MB`, ratio: fmtRatio(growth), target: '≤ 1.10', pass: growth <= 1.1 && growth >= 1 / 1.1, note: 'memory must not grow with input', raw: { ratio: growth } });
  }

  printTable(rows, o);
  const summary = (kind, list) => {
    const failed = list.filter((r) => r.pass === false);
    const judged = list.filter((r) => r.pass !== undefined).length;
    if (!judged) return '';
    return `${kind}: ${judged - failed.length} of ${judged} met${failed.length ? `; missed: ${failed.map((r) => r.name).join(', ')}` : ''}.\n`;
  };
  process.stdout.write(`\n${summary("The issue's targets", rows.filter((r) => !r.own))}${summary('Own targets', rows.filter((r) => r.own))}`);
  if (o.json) fs.writeFileSync(path.join(benchDir, 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine: machine(), pairs: o.pairs, rows }, null, 2));
  process.exitCode = rows.every((r) => r.own || r.pass !== false) ? 0 : 1;
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.versions.node}`;
}

function printTable(rows, o) {
  const head = ['case', 'measured (ges-err vs baseline)', 'ratio', 'middle half', 'target', 'result', 'note'];
  const cells = rows.map((r) => [r.name, r.value, r.ratio ?? '', r.spread ?? '', r.target ?? '', r.pass === undefined ? 'info' : r.pass ? 'pass' : 'FAIL', r.note ?? '']);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => x.padEnd(w[i])).join('  ').trimEnd();
  const out = [
    `ges-err benchmark — ${machine()}`,
    `NODE_EXTRA_CA_CERTS unset for every run (it was ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'not set'} in this shell); stdout is a pipe (plain output).`,
    `Start-up cases: medians of ${o.pairs} alternating pairs against \`node -e 0\`, ratio = median of per-pair ratios; "middle half": their quartiles (the machine's noise);`,
    '"page faults": minor faults beyond node -e 0\'s (GNU time %R). On a shared machine\'s slow hours a fault costs several times more, and the ratios grow with them.',
    `Runs use the V8 code caches the build shipped in dist/; validated user catalogs are kept in ${path.relative(root, path.join(benchDir, 'cache'))}/ (XDG_CACHE_HOME), filled by warm-up runs as a user's first run does.`,
    '',
    line(head),
    line(w.map((n) => '-'.repeat(n))),
    ...cells.map(line),
    '',
    'Commands:',
    ...rows.filter((r) => r.command).map((r) => `  ${r.name}: ${r.command}${r.baseline ? `   vs   ${r.baseline}` : ''}`),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main();
