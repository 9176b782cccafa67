// Measures `ges-err diagnose` on a log against the grep pipeline the perf issue names
// (grep -oE '(GES|APIGW)\.[0-9]{4}' FILE | sort | uniq -c): alternating runs, medians, MB/s,
// CPU seconds (user+sys, steadier than wall time on a shared machine) and peak RSS from
// /usr/bin/time. Runs with NODE_EXTRA_CA_CERTS unset (it adds ~60 ms per start).
//
//   node scripts/gen-log.mjs --size 300M --out /tmp/300.log
//   node scripts/diagnose-throughput.mjs /tmp/300.log [--runs 11] [--bin PATH]
//
// --bin measures another build's bin/ges-err.cjs instead of this checkout's (say, a copy of the
// tree with an experimental change), against the same grep pipeline.

import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const bin = path.resolve(option('--bin') ?? path.join(root, 'bin/ges-err.cjs'));
const file = args.find((a, i) => !a.startsWith('--') && !['--runs', '--bin'].includes(args[i - 1]));
const runs = Number(option('--runs') ?? 11);
if (!file || !existsSync(file) || !existsSync(bin)) {
  process.stderr.write('usage: node scripts/diagnose-throughput.mjs FILE [--runs N] [--bin PATH]\n');
  process.exit(2);
}
const env = { ...process.env, NO_COLOR: '1' };
delete env.NODE_EXTRA_CA_CERTS;
const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

function measure(cmd) {
  const argv = haveTime ? [TIME, '-f', '%e %M %U %S', 'sh', '-c', `${cmd} > /dev/null`] : ['sh', '-c', `${cmd} > /dev/null`];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [, rss, user, sys] = last.split(' ').map(Number);
  return { wall, rssKb: haveTime ? rss : NaN, cpu: haveTime ? user + sys : NaN };
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const ours = `${q(process.execPath)} ${q(bin)} diagnose --json ${q(file)}`;
const grep = `grep -oE '(GES|APIGW)\\.[0-9]{4}' ${q(file)} | sort | uniq -c`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

measure(ours); // warm the page cache and the code cache
measure(grep);
const a = [];
const b = [];
for (let i = 0; i < runs; i++) {
  a.push(measure(ours));
  b.push(measure(grep));
}
const mb = statSync(file).size / 1048576;
const tOurs = median(a.map((x) => x.wall));
const tGrep = median(b.map((x) => x.wall));
const out = {
  file,
  bin,
  sizeMB: Number(mb.toFixed(1)),
  runs,
  diagnose: { medianSeconds: Number(tOurs.toFixed(3)), MBps: Math.round(mb / tOurs), medianCpuSeconds: median(a.map((x) => x.cpu)), peakRssMB: Math.round(Math.max(...a.map((x) => x.rssKb)) / 1024) },
  grepPipeline: { medianSeconds: Number(tGrep.toFixed(3)), MBps: Math.round(mb / tGrep), medianCpuSeconds: median(b.map((x) => x.cpu)) },
  throughputRatio: Number((tGrep / tOurs).toFixed(2)),
  cpuRatio: Number((median(b.map((x) => x.cpu)) / median(a.map((x) => x.cpu))).toFixed(2)),
  loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
