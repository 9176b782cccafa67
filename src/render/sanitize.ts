// Makes untrusted text safe for a terminal: control characters (C0, DEL, C1), which start ANSI
// CSI/OSC sequences, and bidi overrides become visible escapes such as \x1b or \u202e. Once ESC is
// escaped, the rest of a sequence ("[2J") is inert text.

// C0 except \n and \t, DEL, C1, bidi embeddings/overrides/isolates, LRM/RLM/ALM, line/paragraph separators, BOM.
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const UNSAFE_TEST = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/;

function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  if (c === '\r') return '\\r';
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/**
 * Escape everything that could act on a terminal. Newlines survive only when `multiline` is set;
 * tabs become a space (they would break column alignment).
 */
export function sanitize(text: string, multiline = false): string {
  let s = text;
  if (UNSAFE_TEST.test(s)) s = s.replace(UNSAFE, escapeChar);
  if (s.includes('\t')) s = s.replace(/\t/g, ' ');
  if (!multiline && s.includes('\n')) s = s.replace(/\n/g, '\\n');
  return s;
}

/** True when the text holds nothing a terminal would act on (newlines allowed). */
export function isTerminalSafe(text: string): boolean {
  return !UNSAFE_TEST.test(text);
}

// JSON.stringify escapes C0 only; also escape DEL, C1, bidi controls and U+2028/9, so that
// `jq -r` or a naive `cat` of the JSON cannot be turned against the terminal either.
const JSON_EXTRA = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_EXTRA, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const MAX_ECHO = 120;

/**
 * Quote user input in a message: made terminal-safe and shortened, so that echoing a pasted
 * megabyte does not flood the terminal.
 */
export function quoteInput(text: string, max = MAX_ECHO): string {
  const chars = [...text.slice(0, max * 2 + 8)];
  const short = chars.length > max ? chars.slice(0, max).join('') + `… (${text.length} characters)` : text;
  return `'${sanitize(short)}'`;
}
