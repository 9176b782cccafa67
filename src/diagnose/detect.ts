// Tells a pasted response apart from free text: JSON braces, error-body keys, an HTTP status line
// or a code pattern inside a longer text mean "diagnose it".

const RESPONSE_HINTS = /[{}]|error_?code|error_?msg|errorMessage|HTTP\/\d|Status code:|Http Status Code|request_id|X-Request-Id|Exception|\[[A-Z_]+_ERROR\]/i;
const CODE_INSIDE = /\b[A-Za-z][A-Za-z0-9]{1,31}\.\d{3,8}\b/;

export function looksLikeResponse(text: string): boolean {
  return RESPONSE_HINTS.test(text) || CODE_INSIDE.test(text);
}
