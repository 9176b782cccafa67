// Counts the instructions a run of ges-err executes, against `node -e 0`: a measure that repeats
// within ~0.3 % where wall-clock time on a shared machine does not, for weighing changes smaller
// than `npm run bench` can see. Not a benchmark of its own: time is what the targets are about.
//
//   node scripts/instructions.mjs [--runs N] [-- ARGS...]
//
// Each command runs under valgrind's callgrind (Debian: apt-get install valgrind), and the count is
// that of the main thread, where a run's JavaScript executes, less the one random part of every
// Node start: V8 tests random numbers for primality to seed its hash tables (`detail::sprp`), 5 to
// 11 million instructions by chance. Without ARGS, it counts the start-up cases of the benchmark.
// The environment is the benchmark's (measure-env.mjs): NODE_EXTRA_CA_CERTS unset, caches in .bench/cache.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredEnv, median } from './measure-env.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(root, 'bin/ges-err.cjs');

function parseArgs(argv) {
  const o = { runs: 3, cases: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--') o.cases = [argv.slice(i + 1)];
    else {
      process.stderr.write(`instructions: unknown option ${a}\nusage: node scripts/instructions.mjs [--runs N] [-- ARGS...]\n`);
      process.exit(2);
    }
    if (o.cases) break;
  }
  if (!(o.runs >= 1)) {
    process.stderr.write('instructions: --runs must be at least 1\n');
    process.exit(2);
  }
  return o;
}

const env = measuredEnv(path.join(root, '.bench', 'cache'));

/** True when `tool --version` runs (callgrind_annotate answers it with status 255). */
function have(tool) {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return !r.error && /\d+\.\d+/.test(`${r.stdout}${r.stderr}`);
}

/** Main-thread instructions of one run, in millions, less V8's hash-seed prime search. */
function count(nodeArgs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ges-err-callgrind-'));
  try {
    const out = path.join(dir, 'out');
    const r = spawnSync('valgrind', ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${out}`, process.execPath, ...nodeArgs], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const main = `${out}-01`;
    if (r.status === null || !fs.existsSync(main)) throw new Error(`callgrind failed: ${r.stderr.toString().trim().split('\n').pop()}`);
    const totals = /^(?:totals|summary):\s+(\d+)/m.exec(fs.readFileSync(main, 'latin1'));
    if (!totals) throw new Error('no totals in the callgrind output');
    const annotated = spawnSync('callgrind_annotate', ['--inclusive=no', main], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout ?? '';
    const sprp = /^\s*([\d,]+)\s.*detail::sprp/m.exec(annotated);
    return (Number(totals[1]) - (sprp ? Number(sprp[1].replace(/,/g, '')) : 0)) / 1e6;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const o = parseArgs(process.argv.slice(2));
if (!have('valgrind') || !have('callgrind_annotate')) {
  process.stderr.write('instructions: needs valgrind and callgrind_annotate (Debian: apt-get install valgrind)\n');
  process.exit(2);
}
const cases = o.cases ?? [['GES.7018', '--format', 'plain'], ['graph not running'], ['search', 'quota'], ['list', '--format', 'plain']];
const floor = median(Array.from({ length: o.runs }, () => count(['-e', '0'])));
process.stdout.write(`node -e 0: ${floor.toFixed(2)} M instructions (median of ${o.runs}, main thread, hash-seed search taken out)\n`);
for (const args of cases) {
  const m = median(Array.from({ length: o.runs }, () => count([BIN, ...args])));
  const label = args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  process.stdout.write(`ges-err ${label}: ${m.toFixed(2)} M, ${(m / floor).toFixed(3)} × node -e 0\n`);
}
