// Small byte-level helpers the scanner shares. The scanner looks at input through a latin1 string
// (one char per byte, so string positions are byte positions and ASCII tests are exact) and decodes
// UTF-8 only for the few values it reports.

export const NL = 10;
export const CR = 13;

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Start of the line holding position p, looking back no further than `floor` (returned if reached). */
export function lineStart(s: string, p: number, floor = 0): number {
  // Search a slice: lastIndexOf has no lower bound, and a line may be megabytes long.
  const i = floor > 0 ? s.slice(floor, p).lastIndexOf('\n') : s.lastIndexOf('\n', p - 1);
  return floor > 0 ? (i < 0 ? floor : floor + i + 1) : i + 1;
}

/** End of the line holding p (the index of its '\n'), looking no further than `ceil` (returned if reached). */
export function lineEnd(s: string, p: number, ceil = s.length): number {
  const i = ceil < s.length ? s.slice(p, ceil).indexOf('\n') : s.indexOf('\n', p) - p;
  return i < 0 ? ceil : p + i;
}

/** Decode bytes [a, b) as UTF-8; invalid sequences become U+FFFD. */
export function utf8(bytes: Buffer, a: number, b: number): string {
  return bytes.toString('utf8', a, b);
}

/** Undo JSON / JavaScript string escapes once; unknown escapes are kept as written. */
export function unescapeOnce(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|["'\\/bfnrt])/g, (_, e: string) => {
    switch (e[0]) {
      case 'u':
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return e;
    }
  });
}

/**
 * How deeply a string is embedded in other strings, from the backslashes before its quote:
 * 0 for "x", 1 for \"x\" (a body inside a JSON string), 2 for \\\"x\\\" (inside that again).
 */
export function escapeDepth(backslashes: number): number {
  let d = 0;
  while ((1 << d) - 1 < backslashes) d++;
  return d;
}

const MAX_TEXT = 1000;

/** Tidy a server message for display and JSON: one line, trimmed, bounded. */
export function tidyMessage(s: string): string {
  let t = s.replace(/\s+/g, ' ').trim();
  if (t.length > MAX_TEXT) t = t.slice(0, MAX_TEXT - 1) + '…';
  return t;
}
