// Display width of text in a terminal: East Asian wide and full-width characters take two
// columns, combining marks and zero-width characters none. Used for wrapping and table layout.

// Ranges of East_Asian_Width W/F (Unicode 15), merged; enough for CJK, Hangul, kana, full-width
// forms and the common emoji blocks.
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4], [0x17000, 0x18cff], [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

// Built on first use: creating a regular expression with Unicode property classes costs ~0.5 ms
// (V8 parses it, and ICU builds the classes, when the literal is evaluated), at every start-up.
let ZERO: RegExp | undefined;

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = WIDE[mid]!;
    if (cp < range[0]) hi = mid - 1;
    else if (cp > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

// Blocks that are wide and hold no combining or zero-width character: most Chinese text is answered
// from here without ZERO. (Checked against ZERO for every code point by test/width.test.ts.)
const WIDE_ONLY: readonly [number, number][] = [
  [0x3000, 0x3029], [0x3041, 0x3096], [0x309b, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xff01, 0xff60],
];

/** Columns one character (code point) takes. */
export function charWidth(ch: string): number {
  return codePointWidth(ch.codePointAt(0)!);
}

function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  // Dashes, quotes, bullets and ellipses: one column, and no combining marks among them.
  if (cp >= 0x2010 && cp <= 0x205f) return 1;
  // An index and no [a, b] pattern: in code that has not been optimized, each step of a for-of or
  // of array destructuring allocates, and this runs for every wide character measured.
  for (let i = 0; i < WIDE_ONLY.length; i++) if (cp >= WIDE_ONLY[i]![0] && cp <= WIDE_ONLY[i]![1]) return 2;
  if ((ZERO ??= /[\p{Mn}\p{Me}\u200B-\u200D\u2060\uFE00-\uFE0F]/u).test(String.fromCodePoint(cp))) return 0;
  return isWide(cp) ? 2 : 1;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

// Printable ASCII takes a column per character: one native test instead of a loop over them.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** Columns a string takes, ignoring SGR colour sequences (the tool's own). */
export function displayWidth(text: string): number {
  const s = text.includes('\u001b') ? text.replace(ANSI, '') : text;
  if (!NOT_PRINTABLE_ASCII.test(s)) return s.length;
  // By code unit, making no string per character (a table measures its cells' text many times over).
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x300) w += c < 0x20 ? 0 : 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      w += codePointWidth(((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00) + 0x10000);
    } else w += codePointWidth(c);
  }
  return w;
}

export function isWideChar(ch: string): boolean {
  return isWide(ch.codePointAt(0)!);
}
