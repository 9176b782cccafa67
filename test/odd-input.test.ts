// Hostile and broken input on diagnose / standard input: each has a clear outcome (explained, "no
// error code found", or one line of error), never a stack trace, in bounded output; plus the process
// side: Ctrl-C ends a long run at once, a terminal on stdin never blocks.

import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { diagnoseSources } from '../src/diagnose/index.js';
import { BIN, runFake } from './helpers.js';

const catalog = buildCatalog(loadBundledCatalogs());

/** Control characters a terminal would act on: everything below 0x20 but the newline, DEL, C1, bidi overrides. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const STACK = /\n\s+at .+:\d+:\d+|TypeError|RangeError|Maximum call stack/;

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};
const BODY = '{"errorCode":"GES.7013","errorMessage":"图名称已存在"}';

/** Standard input given as these chunks, in JSON (to read what was found) and in plain text (to read what a person sees). */
async function both(stdin: Buffer | Buffer[]) {
  const json = await runFake(['diagnose', '--json'], { stdin: Array.isArray(stdin) ? stdin : [stdin] });
  const plain = await runFake(['diagnose'], { stdin: Array.isArray(stdin) ? stdin : [stdin] });
  for (const r of [json, plain]) {
    expect(r.stdout + r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(UNSAFE);
  }
  expect(plain.stdout).not.toMatch(UNSAFE);
  expect(plain.status).toBe(json.status);
  const doc = JSON.parse(json.stdout) as { results: { code: string; observed: { message: string | null } }[]; notFound: { code: string }[]; summary: { lines: number } };
  return { json, plain, doc };
}

describe('odd standard input: one clear outcome each', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['whitespace only (spaces, tabs, CR, LF)', Buffer.from(' \t\r\n\n   \r\n\t')],
    ['a UTF-16LE BOM and nothing else', Buffer.from([0xff, 0xfe])],
  ])('%s: "the input is empty", exit 1', async (_, bytes) => {
    const { plain, doc } = await both(bytes);
    expect(plain.status).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toBe('ges-err: the input is empty; nothing to diagnose.\n');
    expect(doc.results).toEqual([]);
  });

  it('binary data with NUL bytes and no code: "no error code found", exit 1', async () => {
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251; // every byte value but 251-255, NULs included
    const { plain } = await both(bytes);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(/^ges-err: no error code found in the input\.\n/);
    expect(plain.stderr).toContain('  Line 1 holds a NUL byte: the input looks like binary data');
  });

  it('binary data with NUL bytes around a response: the response is explained', async () => {
    const bytes = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0, 0x1b]), Buffer.from(`\0${BODY}\0`), Buffer.alloc(5000)]);
    const { plain, doc } = await both(bytes);
    expect(plain.status).toBe(0);
    expect(doc.results.map((r) => [r.code, r.observed.message])).toEqual([['GES.7013', '图名称已存在']]);
  });

  it('invalid UTF-8 in a message: explained, the bad bytes shown as U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"errorCode":"GES.7013","errorMessage":"bad '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from(' bytes"}\n')]);
    const { plain, doc } = await both(bytes);
    expect(plain.status).toBe(0);
    expect(doc.results[0]!.observed.message).toMatch(/^bad \uFFFD+\( ?\uFFFD* bytes$/u);
  });

  it.each([
    ['UTF-16LE with a BOM (PowerShell 5)', utf16le(`${BODY}\r\n`)],
    ['UTF-16BE with a BOM', utf16be(`${BODY}\r\n`)],
    ['UTF-16LE cut into odd-sized chunks', utf16le(`${BODY}\r\n`)],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${BODY}\n`)])],
    ['CRLF line ends', Buffer.from(`HTTP/1.1 400 Bad Request\r\nX-Request-Id: 0a0b0c0d0e0f\r\n\r\n${BODY}\r\n`)],
  ])('%s: explained, message decoded, no CR left', async (name, bytes) => {
    const chunks = name.includes('odd-sized') ? [bytes.subarray(0, 3), bytes.subarray(3, 20), bytes.subarray(20)] : bytes;
    const { plain, doc } = await both(chunks);
    expect(plain.status).toBe(0);
    expect(doc.results.map((r) => [r.code, r.observed.message])).toEqual([['GES.7013', '图名称已存在']]);
    expect(plain.stdout).toContain('图名称已存在');
    expect(plain.stdout).not.toContain('\r');
  });

  it('a line of 3 MB without a newline, codes across it: each found once, on line 1', async () => {
    const parts: string[] = [];
    for (let k = 0; k < 30; k++) parts.push('x'.repeat(100_000), k % 10 === 0 ? BODY : ' ');
    const { plain, doc } = await both(Buffer.from(parts.join('')));
    expect(plain.status).toBe(0);
    expect(doc.summary.lines).toBe(1);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ code: 'GES.7013', count: 1, firstLine: 1 });
  });

  it('JSON nested 100,000 levels deep, with and without a code at the bottom', async () => {
    const deep = (inner: string) => Buffer.from('{"a":'.repeat(100_000) + inner + '}'.repeat(100_000) + '\n');
    const found = await both(deep(BODY));
    expect(found.plain.status).toBe(0);
    expect(found.doc.results.map((r) => [r.code, r.observed.message])).toEqual([['GES.7013', '图名称已存在']]);
    const arrays = await both(Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)));
    expect(arrays.plain.status).toBe(1);
    expect(arrays.plain.stderr).toMatch(/no error code found/);
  });

  it('a JSON string of 50 MB in an error body: explained, the message cut to a bounded length', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'm');
    const bytes = Buffer.concat([Buffer.from('{"errorCode":"GES.7013","errorMessage":"'), big, Buffer.from('"}\n')]);
    // Read in 1 MiB chunks, as from a pipe or a file.
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 1 << 20) chunks.push(bytes.subarray(i, i + (1 << 20)));
    const { report } = await diagnoseSources(catalog, [{ name: '-', open: async function* () { yield* chunks; } }]);
    expect(report.results.map((r) => r.code)).toEqual(['GES.7013']);
    const message = report.results[0]!.observed.message!;
    expect(message.length).toBeLessThanOrEqual(1001);
    expect(message.startsWith('mmmm')).toBe(true);
  });

  it('5,000 distinct unknown GES codes and 5,000 other services’ codes: the first 5,000 tracked, output bounded', async () => {
    const lines: string[] = [];
    for (let n = 0; n < 5000; n++) {
      const num = n < 1000 ? 1000 + n : 2000 + n; // 1000-1999 and 3000-6999: no GES code has these numbers
      lines.push(`{"errorCode":"GES.${num}","errorMessage":"m${n}"}`, `{"code":"SVC${n % 50}.${String(n).padStart(4, '0')}","message":"x"}`);
    }
    const text = Buffer.from(lines.join('\n') + '\n');
    const { plain, json, doc } = await both(text);
    expect(plain.status).toBe(1); // nothing in the catalog was found
    expect(doc.notFound).toHaveLength(5_000);
    // stderr: at most 20 notices (three lines each at most), one line for the rest, one for the untracked.
    expect(plain.stderr.split('\n').length).toBeLessThan(100);
    expect(plain.stderr).toContain('4,980 more codes are not in the catalog');
    expect(plain.stderr).toContain('more distinct codes than ges-err tracks; 5,000 occurrences of further codes are not reported');
    // stdout: the summary lists the most frequent codes and says how many more --json has.
    expect(plain.stdout.length).toBeLessThan(20_000);
    expect(plain.stdout).toMatch(/4,900 more codes \(all are listed in --json\)/);
    expect(json.stdout.length).toBeGreaterThan(1_000_000);
  });
});

describe('the process', () => {
  it('Ctrl-C ends a long diagnose at once (killed by SIGINT, or status 130)', async () => {
    // An endless input: a stream of responses from `yes`, read as fast as the scanner goes.
    const yes = spawn('yes', ['{"errorCode":"GES.7013","errorMessage":"x"}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const child = spawn(process.execPath, [BIN, 'diagnose'], { stdio: [yes.stdout, 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    try {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      await new Promise((r) => setTimeout(r, 700));
      expect(child.exitCode).toBeNull(); // still reading
      const sent = Date.now();
      child.kill('SIGINT');
      const [code, signal] = await exited;
      expect(Date.now() - sent).toBeLessThan(1500);
      expect(signal === 'SIGINT' || code === 130).toBe(true);
      expect(stderr).not.toMatch(STACK);
    } finally {
      child.kill('SIGKILL');
      yes.kill('SIGKILL');
    }
  }, 15_000);

  it('a terminal on standard input and no argument: the usage hint at once, exit 2, nothing read', () => {
    // `script` gives the child a pseudo-terminal for stdin; it would hang if ges-err read from it.
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}"`, '/dev/null'], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('nothing to explain');
    expect(r.stdout).not.toMatch(STACK);
  });

  it('diagnose with standard input closed reads it as empty, exit 1', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" diagnose 0<&-`], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ges-err: the input is empty; nothing to diagnose.\n');
  });
});
