// Terminal layout: display width (CJK = 2 columns), CJK-aware wrapping, tables that fit the width,
// and untrusted text made inert before it reaches a terminal.

import { describe, expect, it } from 'vitest';
import { BUNDLED_FILES, loadBundledCatalogs } from '../src/catalog/bundled.js';
import { buildCatalog } from '../src/catalog/load.js';
import { renderResults } from '../src/render/index.js';
import { isTerminalSafe, safeJson, sanitize } from '../src/render/sanitize.js';
import { makeStyle, PLAIN_STYLE, decideColor } from '../src/render/style.js';
import { displayWidth } from '../src/render/width.js';
import { groupDigits } from '../src/render/summary.js';
import { wrap } from '../src/render/wrap.js';
import { explainEntry } from '../src/result.js';

const catalog = buildCatalog(loadBundledCatalogs());

describe('displayWidth', () => {
  it.each([
    ['abc', 3],
    ['图引擎', 6],
    ['ＧＥＳ．７０１８', 16],
    ['GES 管理面', 10],
    ['e\u0301', 1],
    ['\u001b[31mred\u001b[39m', 3],
    ['', 0],
    ['한국어', 6],
    ['カタカナ', 8],
  ])('%j is %i columns', (s, w) => {
    expect(displayWidth(s)).toBe(w);
  });
});

describe('wrap', () => {
  const samples = [
    '请检查图模式文件、点数据集文件、边数据集文件名称是否合法,只能由英文字母、数字、下划线、感叹号、中划线、点号、星号、左括号、右符号、斜线组成。',
    'Check whether the names of the schema file, vertex data set file, and edge data set file are valid. A name can contain only letters.',
    '给用户所属的用户组赋予安全管理员角色。具体请参见赋予安全管理员角色（https://support.huaweicloud.com/ges_faq/ges_02_0015.html）。',
    'supercalifragilisticexpialidocious-and-a-very-long-token-without-spaces-at-all',
  ];
  it.each([8, 13, 20, 37, 60])('keeps every line within %i columns and loses no character', (width) => {
    for (const s of samples) {
      const lines = wrap(s, width);
      for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
      expect(lines.join('').replace(/\s/g, '')).toBe(s.replace(/\s/g, ''));
    }
  });
  it('never starts a line with closing punctuation nor ends one with an opening bracket', () => {
    for (let width = 6; width < 40; width++) {
      for (const line of wrap(samples[0]! + samples[2]!, width)) {
        expect(line[0], `width ${width}: ${line}`).not.toMatch(/[，。、；：！？）》」]/);
        expect(line[line.length - 1], `width ${width}: ${line}`).not.toMatch(/[（《「]/);
      }
    }
  });
  it('keeps existing line breaks', () => {
    expect(wrap('a\nb', 10)).toEqual(['a', 'b']);
  });
});

describe('tables', () => {
  // All codes at several widths are checked against the built executable in cli.test.ts; here, the
  // renderer itself on the codes with the longest and the most Chinese text.
  const hard = ['GES.7067', 'APIGW.0303', 'GES.7031', 'GES.7011'].map((c) => explainEntry(catalog.byCode.get(c)!));
  it.each([40, 57, 80])('fit %i columns, with all lines of a table equally wide', (columns) => {
    const out = renderResults(hard, { format: 'table', lang: 'both', style: PLAIN_STYLE, columns });
    const tables = out.split(/\n(?=┌)/);
    expect(tables).toHaveLength(hard.length);
    for (const t of tables) {
      const widths = new Set(t.trimEnd().split('\n').map(displayWidth));
      // cli-table3 measured the cells the same way we did: no ragged right border.
      expect(widths.size, t).toBe(1);
      expect([...widths][0]).toBeLessThanOrEqual(columns);
    }
  });
  it('colours only when asked', () => {
    const r = [explainEntry(catalog.byCode.get('GES.7018')!)];
    expect(renderResults(r, { format: 'table', lang: 'both', style: PLAIN_STYLE, columns: 80 })).not.toMatch(/\u001b/);
    expect(renderResults(r, { format: 'table', lang: 'both', style: makeStyle(true), columns: 80 })).toMatch(/\u001b\[/);
  });
});

describe('plain text', () => {
  it('shows both languages, the markers of translations and the notes', () => {
    const out = renderResults([explainEntry(catalog.byCode.get('GES.7067')!)], { format: 'plain', lang: 'both', style: PLAIN_STYLE, columns: 80 });
    expect(out).toContain('Insufficient ECS quota.');
    expect(out).toContain('资源租户云服务器配额不足');
    expect(out).toContain('translated by ges-err from the Chinese');
    expect(out).toContain('[source oddity]');
    expect(out).toContain('[原文异常]');
    expect(out).toContain('GES.7066');
  });
  it('shows one language with --lang', () => {
    const en = renderResults([explainEntry(catalog.byCode.get('GES.7018')!)], { format: 'plain', lang: 'en', style: PLAIN_STYLE, columns: 80 });
    expect(en).toContain('The number of graphs or edges reaches the upper limit.');
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
    const zh = renderResults([explainEntry(catalog.byCode.get('GES.7018')!)], { format: 'plain', lang: 'zh', style: PLAIN_STYLE, columns: 80 });
    expect(zh).toContain('图个数或者边个数达到配额');
    expect(zh).not.toContain('The number of graphs');
  });
  it('shows every variant of a code, each with its own status', () => {
    const out = renderResults([explainEntry(catalog.byCode.get('APIGW.0201')!)], { format: 'plain', lang: 'en', style: PLAIN_STYLE, columns: 80 });
    for (const status of [400, 413, 414, 494, 502, 504]) expect(out).toContain(`HTTP ${status}`);
    expect(out).toContain('Backend timeout.');
  });
});

describe('groupDigits', () => {
  it.each([0, 7, 999, 1000, 12345, 999999, 1234567, 1e12, -4321])('%d as en-US groups it', (n) => {
    expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});

describe('sanitize', () => {
  const attacks = [
    '\u001b[2J\u001b[H', // clear screen
    '\u001b]0;pwned\u0007', // set window title (OSC)
    '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', // hyperlink
    '\u009b31m', // C1 CSI
    'abc\u202egnp.exe', // bidi override
    'a\u2066b\u2069c',
    'bell\u0007',
    'back\bspace',
    'carriage\rreturn',
    'nul\u0000byte',
    'del\u007f',
  ];
  it.each(attacks)('makes %j inert', (s) => {
    const out = sanitize(s);
    expect(isTerminalSafe(out)).toBe(true);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
  it('shows what was escaped', () => {
    expect(sanitize('\u001b[31m')).toBe('\\x1b[31m');
    expect(sanitize('x\u202ey')).toBe('x\\u202ey');
  });
  it('keeps newlines only in multi-line text', () => {
    expect(sanitize('a\nb')).toBe('a\\nb');
    expect(sanitize('a\nb', true)).toBe('a\nb');
  });
  it('escapes in JSON what JSON.stringify lets through, and the JSON still parses to the same value', () => {
    const v = { m: '\u009b\u202e\u2028\u001b' };
    const s = safeJson(v);
    expect(s).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(s)).toEqual(v);
  });
});

describe('decideColor', () => {
  it.each([
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [undefined, { NO_COLOR: '1' }, true, false],
    [undefined, { NO_COLOR: '' }, true, true],
    [undefined, { FORCE_COLOR: '1' }, false, true],
    [undefined, { FORCE_COLOR: '0' }, true, false],
    [undefined, { TERM: 'dumb' }, true, false],
    ['always', { NO_COLOR: '1' }, false, true],
    ['never', { FORCE_COLOR: '1' }, true, false],
  ] as const)('--color %s with %j on tty=%s -> %s', (choice, env, tty, expected) => {
    expect(decideColor(choice, env, tty)).toBe(expected);
  });
});
