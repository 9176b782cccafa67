// Character tests as loops. A regular expression is compiled on its first use in a process
// (~0.03-0.1 ms each); the short strings of a query, tested once or twice per run, are cheaper to
// walk. Long texts (catalog fields, logs) keep their regular expressions, compiled once and fast.

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

/** True when `s` holds an ASCII digit (what /\d/ finds). */
export function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isDigitCode(s.charCodeAt(i))) return true;
  return false;
}

/** True when `s` is one or more ASCII digits (what /^\d+$/ matches). */
export function isDigits(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/** True when `s` holds one of the characters of `set` (what /[...]/ finds). */
export function hasAnyOf(s: string, set: string): boolean {
  for (let i = 0; i < s.length; i++) if (set.includes(s[i]!)) return true;
  return false;
}

/** True when every character of `s` is ASCII (what /^[\u0000-\u007f]*$/ matches). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
