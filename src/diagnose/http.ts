// The HTTP transcript above a body: `curl -i`/`curl -v` status lines and headers (any casing,
// `< `/`> ` prefixes, CRLF) and documentation snippets ("Status code: 400"). A status line applies
// only to the body right after it: the walk back stops at anything that is not part of the same
// response (another body, a log line), so an id from an unrelated line is never attached.

import type { Window } from './extract.js';
import { lineStart } from './text.js';

const MAX_LINES = 40;
const MAX_BYTES = 8192;
/** Short text lines allowed between a status line and its body ("Bad Request" in the docs). */
const MAX_TEXT_LINES = 2;

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/;
const DOC_STATUS = /^(?:Http\s+)?Status\s+Code\s*:\s*(\d{3})\b/i;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/;
const REQUEST_ID_HEADER = /^(?:x-)?request-id$/i;
const CURL_NOISE = /^(?:\*|[{}] \[\d+ bytes? data\])/;
const CODE_LIKE = /\b[A-Z][A-Za-z0-9]*\.\d{4}\b/;

export interface HttpContext {
  httpStatus: number | null;
  requestId: string | null;
}

/** Read the response head that ends right before `from` (the start of a body's first line). */
export function httpContextBefore(w: Window, from: number, min: number): HttpContext | undefined {
  const { s } = w;
  let pos = from;
  let requestId: string | null = null;
  let textLines = 0;
  for (let n = 0; n < MAX_LINES && pos > min; n++) {
    const end = pos - 1;
    const floor = Math.max(min, from - MAX_BYTES);
    const st = lineStart(s, end, floor);
    // A line reaching back past the limit is too long to be part of a response head.
    if (st === floor && floor > min && s.charCodeAt(floor - 1) !== 10) break;
    pos = st;
    let t = s.slice(st, end).trim();
    if (t === '' || CURL_NOISE.test(t)) continue;
    // "> " lines are the request curl sent: its headers are not the response's.
    if (t.startsWith('>')) continue;
    if (t.startsWith('<')) t = t.slice(1).trim();
    if (t === '') continue;
    const status = STATUS_LINE.exec(t) ?? DOC_STATUS.exec(t);
    if (status) return { httpStatus: Number(status[1]), requestId };
    const h = HEADER.exec(t);
    if (h && !/[{}]/.test(t) && !CODE_LIKE.test(t)) {
      if (REQUEST_ID_HEADER.test(h[1]!) && requestId === null) {
        const v = h[2]!.trim();
        if (/^[A-Za-z0-9][A-Za-z0-9._:\-]{3,127}$/.test(v)) requestId = v;
      }
      continue;
    }
    if (t.length <= 40 && !/[{}]/.test(t) && !CODE_LIKE.test(t) && textLines++ < MAX_TEXT_LINES) continue;
    break;
  }
  return requestId !== null ? { httpStatus: null, requestId } : undefined;
}
