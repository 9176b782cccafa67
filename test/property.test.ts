// Property-based tests (fast-check): for arbitrary strings and bytes, the parts that read input
// never throw, human output never carries control characters, exit status is always 0, 1 or 2.
// `npm test` runs 10,000 cases per property from a fixed seed; `npm run fuzz` runs many more
// (GES_ERR_FUZZ_RUNS), from a new seed each time.
// Diagnose runs in-process (the library and the command with fake streams): a case costs well
// under a millisecond, so the counts stay high.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { parseCode, parseCodeArgs } from '../src/code.js';
import { looksLikeResponse } from '../src/diagnose/detect.js';
import { diagnoseSources, diagnoseText } from '../src/diagnose/index.js';
import type { DiagnoseReport } from '../src/diagnose/report.js';
import { scanJson } from '../src/catalog/json-locate.js';
import { validateCatalog } from '../src/catalog/validate.js';
import { isTerminalSafe, safeJson, sanitize } from '../src/render/sanitize.js';
import { displayWidth } from '../src/render/width.js';
import { wrap } from '../src/render/wrap.js';
import { runFake } from './helpers.js';

const RUNS = Number(process.env.GES_ERR_FUZZ_RUNS) || 10_000;
// `npm test` uses one fixed seed: its outcome must not depend on the run (a CI run once failed on a
// case no change of its own had made). `npm run fuzz` draws a new seed each time, to find new
// cases; fast-check prints the seed of a failure, and GES_ERR_FUZZ_SEED=N replays it.
const SEED = process.env.GES_ERR_FUZZ_SEED ? Number(process.env.GES_ERR_FUZZ_SEED) : process.env.GES_ERR_FUZZ_RUNS ? undefined : 20_261_201;
const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };
/** Time for a property of `runs` cases at up to `ms` each (on a loaded machine), for `npm run fuzz` too. */
const timeFor = (runs: number, ms: number) => Math.max(20_000, runs * ms);
// Strings rich in what matters here: control characters, escapes, CJK, full-width forms, code shapes.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'\u001b[]0;m\u0007\u009b\u202e\u2066\r\n\t\u0000GES.7018 图配额ＧＥＳ．７０１８{}":,\\'), maxLength: 80 }),
);
const UNSAFE_OUT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Input for diagnose: pieces of real error records (keys, codes, quotes, escapes, HTTP heads, line
// ends, braces) mixed with arbitrary text and bytes, so that cases reach the record reader.
const FRAGMENTS = [
  '{"errorCode":"', '"error_code":', "'code': '", 'error_code:', 'errorCode=', '"code":"', 'Code: ', '"errorMessage":"', 'error_msg:', '"request_id":"',
  'X-Request-Id: ', 'HTTP/1.1 400 Bad Request\r\n', 'Status code: 404', '"status_code":', 'GES.7018', 'GES.8001', 'APIGW.0201', 'APIG.0101', 'VPC.0201', 'ges.7013',
  'GES.70181', '"}', '}', '{', '[', ']', '\\"', '\\\\', '"', "'", ':', ',', ' ', '\n', '\r\n', '\t', '\u0000', '\u001b[2J', '\u009b', '\u202e', '图', '[USE_ERROR]',
];
const diagText = fc.oneof(nasty, fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), nasty), { maxLength: 24 }).map((a) => a.join('')));
const diagBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), diagText.map((t) => new Uint8Array(Buffer.from(t, 'utf8')))), { maxLength: 12 }).map((a) => new Uint8Array(Buffer.concat(a))),
);
const catalog = buildCatalog(loadBundledCatalogs());
/** SGR sequences: the only escapes ges-err writes itself, and only with colour on. */
const SGR = /\u001b\[[0-9;]*m/g;

function sane(r: DiagnoseReport): void {
  expect(r.summary.total).toBe(r.rows.reduce((n, x) => n + x.count, 0));
  for (const row of r.rows) {
    expect(row.code).toMatch(/^[A-Z][A-Z0-9]*\.\d{1,8}$/);
    expect(row.firstLine).toBeGreaterThanOrEqual(1);
    expect(row.lastLine).toBeLessThanOrEqual(r.summary.lines);
    expect(row.lines.length).toBeLessThanOrEqual(row.count);
  }
}

async function diagnoseChunks(chunks: Uint8Array[]): Promise<DiagnoseReport> {
  const { report } = await diagnoseSources(catalog, [{ name: '-', open: async function* () { yield* chunks; } }]);
  return report;
}

describe('properties', () => {
  it('parseCode and parseCodeArgs never throw, and a parsed code is canonical', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const c = parseCode(s);
        if (c) {
          expect(c.canonical).toMatch(/^([A-Z][A-Z0-9]*\.)?\d{1,8}$/);
          expect(parseCode(c.canonical)).toEqual(c);
        }
        parseCodeArgs([s, s]);
      }),
      params,
    );
  });

  it('a plainly typed code reads the same on the fast path as on the general one', () => {
    // A leading space is trimmed by the general path and keeps the fast path from matching, so
    // parseCode(' ' + s) is what the general path makes of s.
    const plain = fc.string({ unit: fc.constantFrom(...'GESAPIWgesapiw0123456789._-'), maxLength: 20 });
    fc.assert(
      fc.property(plain, (s) => {
        expect(parseCode(s)).toEqual(parseCode(` ${s}`));
        expect(parseCodeArgs([s])).toEqual(parseCodeArgs([` ${s}`]));
        expect(parseCodeArgs(['ges', s])).toEqual(parseCodeArgs(['ges', ` ${s}`]));
      }),
      params,
    );
  });

  it('ASCII without digits is never a code (parseCodeArgs turns such words away unread)', () => {
    const noDigits = fc.string({ unit: fc.integer({ min: 0, max: 127 }).filter((c) => c < 48 || c > 57).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(noDigits, (s) => {
        // parseCode has no such shortcut: its general path confirms the premise.
        expect(parseCode(s)).toBeUndefined();
        expect(parseCodeArgs([s])).toBeUndefined();
      }),
      params,
    );
  });

  it('a pasted response is told from free text as the case-insensitive expression it replaced did', () => {
    const reference = (t: string) =>
      /[{}]|error_?code|error_?msg|errorMessage|HTTP\/\d|Status code:|Http Status Code|request_id|X-Request-Id|Exception|\[[A-Z_]+_ERROR\]/i.test(t) ||
      /\b[A-Za-z][A-Za-z0-9]{1,31}\.\d{3,8}\b/.test(t);
    const pieces = ['ERROR', 'error', '_', 'Code', 'code', 'MSG', 'Message', 'HTTP', 'http', '/', '1', ' ', 'Status code', ':', 'Http Status Code', 'Request', '_ID', 'x-', '-id', 'EXCEPTION', '[', ']', 'USE_ERROR', '{', 'GES.7018', 'graph', '\u212a', '\u0130', 'ſ', '图'];
    const text = fc.oneof(nasty, fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((a) => a.join('')));
    // Cases a random run may miss (CI's run found the first): characters that lower-case to ASCII.
    for (const t of ['[\u212aUSE_ERROR]', '[USE_ERROR]', '[use_error]', 'REQUEST_\u0130D', 'HTTP/1.1 400', '\u212aEY.1234']) {
      expect(looksLikeResponse(t), t).toBe(reference(t));
    }
    fc.assert(
      fc.property(text, (t) => {
        expect(looksLikeResponse(t)).toBe(reference(t));
      }),
      params,
    );
  });

  it('sanitize leaves nothing a terminal acts on', () => {
    fc.assert(
      fc.property(nasty, fc.boolean(), (s, multi) => {
        const out = sanitize(s, multi);
        expect(isTerminalSafe(out)).toBe(true);
        if (!multi) expect(out).not.toContain('\n');
      }),
      params,
    );
  });

  it('safeJson output parses back to the same value and has no raw C1/bidi characters', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const out = safeJson({ s });
        expect(out).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual({ s });
      }),
      params,
    );
  });

  it('wrap keeps every line within the width and loses no visible character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab cd,。（）图引擎服务 ＧＥＳ-_/'), maxLength: 120 }), fc.integer({ min: 2, max: 60 }), (s, width) => {
        const lines = wrap(s, width);
        for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/\s/g, '')).toBe(s.replace(/\s/g, ''));
      }),
      params,
    );
  });

  it('scanJson never throws and agrees with JSON.parse on what is valid JSON', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.json()), (s) => {
        let valid = true;
        try {
          JSON.parse(s);
        } catch {
          valid = false;
        }
        const r = scanJson(s);
        // JSON.parse accepts surrounding whitespace that scanJson also accepts; both must agree.
        expect(r.error === undefined).toBe(valid);
      }),
      params,
    );
  });

  it('validateCatalog never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validateCatalog({ schemaVersion: 1, entries: [v] }, { fallbackId: 'x', userPath: 'x.json' });
        expect(typeof r.ok).toBe('boolean');
        validateCatalog(v, { fallbackId: 'x', userPath: 'x.json' });
      }),
      params,
    );
  });

  it('diagnose never throws on any text, and what it reports is consistent', async () => {
    await fc.assert(
      fc.asyncProperty(diagText, async (s) => {
        sane(await diagnoseText(catalog, s));
      }),
      params,
    );
  }, timeFor(RUNS, 2));

  it('diagnose never throws on any bytes, and finds the same wherever the input is cut', async () => {
    await fc.assert(
      fc.asyncProperty(diagBytes, fc.nat(), async (bytes, at) => {
        const whole = await diagnoseChunks([bytes]);
        sane(whole);
        const cut = bytes.length ? at % bytes.length : 0;
        const split = await diagnoseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
        expect({ rows: split.rows, summary: split.summary, empty: split.empty }).toEqual({ rows: whole.rows, summary: whole.summary, empty: whole.empty });
      }),
      params,
    );
  }, timeFor(RUNS, 2));

  it('diagnose on any standard input exits 0, 1 or 2 and prints no control characters but its own colours', async () => {
    await fc.assert(
      fc.asyncProperty(diagBytes, fc.constantFrom('table', 'plain', 'md', 'tsv'), fc.boolean(), async (bytes, format, colour) => {
        const r = await runFake(['diagnose', '--format', format, '--color', colour ? 'always' : 'never'], { stdin: Buffer.from(bytes) });
        expect([0, 1, 2]).toContain(r.status);
        for (const out of [r.stdout, r.stderr]) {
          if (!colour) expect(out).not.toContain('\u001b');
          // TSV separates its fields with tabs (and tabs in values are replaced): the one other control character allowed.
          const text = out.replace(SGR, '');
          expect(format === 'tsv' && out === r.stdout ? text.replace(/\t/g, ' ') : text).not.toMatch(UNSAFE_OUT);
        }
        if (format === 'tsv') for (const line of r.stdout.split('\n').filter(Boolean)) expect(line.split('\t')).toHaveLength(r.stdout.split('\n')[0]!.split('\t').length);
      }),
      params,
    );
  }, timeFor(RUNS, 2));

  it('the CLI exits 0, 1 or 2 and prints no control characters, for any arguments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nasty, { maxLength: 4 }), async (argv) => {
        const r = await runFake(argv, { stdinKind: 'tty' });
        expect([0, 1, 2]).toContain(r.status);
        expect(r.stdout).not.toMatch(UNSAFE_OUT);
        expect(r.stderr).not.toMatch(UNSAFE_OUT);
      }),
      { ...params, numRuns: Math.max(1000, Math.floor(RUNS / 5)) },
    );
    // Free-text arguments go through the fuzzy search (10-30 ms each in-process): this one property
    // needs more than vitest's default 20 s on a loaded machine.
  }, timeFor(Math.max(1000, Math.floor(RUNS / 5)), 40) + 10_000);
});
