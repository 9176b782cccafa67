// Reads one error record around a code found in the input: the structure that encloses the code
// (a JSON body, an SDK exception print, a Java/Node object block), the key/value pairs in it at any
// escape level (a body carried as a string inside another error's message), and from those the
// server's message, the HTTP status and the request id of that same record. Tolerant by design:
// truncated or invalid JSON, JS object literals and Python prints are read by the same key scanner.

import { httpContextBefore } from './http.js';
import { CR, escapeDepth, isSpace, lineEnd, lineStart, tidyMessage, unescapeOnce, utf8 } from './text.js';

export interface ObservedRecord {
  httpStatus: number | null;
  requestId: string | null;
  message: string | null;
}

/** The input around a code: a latin1 view `s` of `bytes` (same length), and whether more input may follow. */
export interface Window {
  s: string;
  bytes: Buffer;
  /** True when `s` holds the end of the input: nothing past s.length will ever arrive. */
  final: boolean;
}

// Limits that keep the work per code bounded on hostile or huge input.
/** How far around the code, on its own line, a record is looked for. */
const LINE_SPAN = 4096;
/** How far back a multi-line record (pretty JSON, a Java block) may start. */
const BACK_BYTES = 8192;
const BACK_LINES = 40;
/** How far forward its closing brace may be. */
export const FORWARD_BYTES = 16384;
const MAX_VALUE = 8192;
/** Enclosing structures considered around a code, innermost first. */
const MAX_OPENERS = 8;
/** Objects around the code's own one searched for its status and request id. */
const MAX_DEPTH = 16;

type KeyKind = 'code' | 'message' | 'requestId' | 'status';

interface Pair {
  kind: KeyKind;
  /** Position of the key. */
  at: number;
  /** Index of the innermost object holding the key, -1 outside every object. */
  obj: number;
  /** Escape depth of the key (0 plain, 1 inside a JSON string, ...). */
  depth: number;
  /** The value: [a, b) in the window; `object` for a nested object/array. */
  value: { a: number; b: number; object: boolean; quoted: boolean; depth: number; truncated: boolean };
}

interface Obj {
  open: number;
  close: number;
  parent: number;
}

const KEY_KINDS: Record<string, KeyKind> = {
  code: 'code',
  errorcode: 'code',
  errcode: 'code',
  message: 'message',
  msg: 'message',
  errormessage: 'message',
  errormsg: 'message',
  errmessage: 'message',
  errmsg: 'message',
  errordescription: 'message',
  requestid: 'requestId',
  xrequestid: 'requestId',
  reqid: 'requestId',
  status: 'status',
  statuscode: 'status',
  httpstatus: 'status',
  httpstatuscode: 'status',
  httpcode: 'status',
};

// A key, quoted or bare, at any escape level: "errorCode":, \"errorCode\":, error_code=, 'code':,
// X-Request-Id:, Http Status Code: ... The closing quote repeats the opening one (\1\2).
const KEY_RE =
  /(?<![A-Za-z0-9_])(\\*)(["']?)(x[-_]?request[-_ ]?id|request[-_ ]?id|req[-_]?id|http[-_ ]?status[-_ ]?code|status[-_ ]?code|http[-_ ]?status|http[-_]?code|status|err(?:or)?[-_ ]?code|code|err(?:or)?[-_ ]?(?:message|msg|description)|message|msg)\1\2[ \t]*[:=][ \t]*/giy;
const KEY_SEARCH = new RegExp(KEY_RE.source, 'gi');

/** A code-shaped value: what an error_code key holds. */
export const CODE_VALUE = /^([A-Za-z][A-Za-z0-9]{0,31})\.(\d{2,8})$/;

function normKey(k: string): string {
  return k.toLowerCase().replace(/[-_ ]/g, '');
}

/** Find where a quoted value ends: the next quote whose run of backslashes marks the same depth. */
function closingQuote(s: string, from: number, limit: number, quote: string, backslashes: number): number {
  const d = escapeDepth(backslashes);
  const mod = 1 << (d + 1);
  for (let i = s.indexOf(quote, from); i >= 0 && i < limit; i = s.indexOf(quote, i + 1)) {
    let r = 0;
    while (i - 1 - r >= from && s.charCodeAt(i - 1 - r) === 92) r++;
    if (r % mod === backslashes % mod) return i;
  }
  return -1;
}

function parseValue(s: string, v: number, end: number, kind: KeyKind): Pair['value'] {
  const c = s.charCodeAt(v);
  if (c === 123 /* { */ || c === 91 /* [ */) return { a: v, b: v, object: true, quoted: false, depth: 0, truncated: false };
  let bs = 0;
  while (s.charCodeAt(v + bs) === 92) bs++;
  const q = s[v + bs];
  const eol = lineEnd(s, v, end);
  if (q === '"' || q === "'") {
    const a = v + bs + 1;
    const close = closingQuote(s, a, Math.min(eol, a + MAX_VALUE), q, bs);
    if (close >= 0) return { a, b: close - bs, object: false, quoted: true, depth: escapeDepth(bs), truncated: false };
    // Truncated JSON: the string never closes; keep what there is, up to the line's end.
    let b = Math.min(eol, a + MAX_VALUE);
    if (b > a && s.charCodeAt(b - 1) === CR) b--;
    return { a, b, object: false, quoted: true, depth: escapeDepth(bs), truncated: true };
  }
  if (kind === 'message') {
    // A bare message (Java's `errorMsg: text`, Python's `error_msg:text,next_key:...`) runs to the
    // end of the line or to the next key.
    const limit = Math.min(eol, v + MAX_VALUE);
    const rest = s.slice(v, limit);
    const next = /,\s*[A-Za-z_][A-Za-z0-9_]*\s*[:=]|\s*\}\s*$|\r$/.exec(rest);
    let b = v + (next ? next.index : rest.length);
    while (b > v && (s[b - 1] === ',' || isSpace(s.charCodeAt(b - 1)))) b--;
    return { a: v, b, object: false, quoted: false, depth: 0, truncated: false };
  }
  let b = v;
  const limit = Math.min(eol, v + 256);
  while (b < limit && !/[\s,;}\]"'&)<>]/.test(s[b]!)) b++;
  return { a: v, b, object: false, quoted: false, depth: 0, truncated: false };
}

/** Objects in [a, b): one pass with a stack. An object that never closes ends at b. */
function objectsIn(s: string, a: number, b: number): Obj[] {
  const objs: Obj[] = [];
  const stack: number[] = [];
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) {
      objs.push({ open: i, close: b, parent: stack.length ? stack[stack.length - 1]! : -1 });
      stack.push(objs.length - 1);
    } else if (c === 125) {
      const top = stack.pop();
      if (top !== undefined) objs[top]!.close = i;
    }
  }
  return objs;
}

/** Index of the innermost object holding `at`, -1 for none. `objs` is in order of their opening brace. */
function innermost(objs: readonly Obj[], at: number): number {
  // The last object opened before `at`, then up through its parents to one that is still open there.
  let lo = 0;
  let hi = objs.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (objs[mid]!.open < at) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  while (k >= 0 && objs[k]!.close <= at) k = objs[k]!.parent;
  return k;
}

function pairsIn(s: string, a: number, b: number, objs: readonly Obj[]): Pair[] {
  const out: Pair[] = [];
  // Search a slice, so that a region with no further key does not send the search to the window's end.
  const sub = s.slice(a, b);
  KEY_SEARCH.lastIndex = 0;
  for (let m = KEY_SEARCH.exec(sub); m; m = KEY_SEARCH.exec(sub)) {
    const kind = KEY_KINDS[normKey(m[3]!)];
    if (!kind) continue;
    const at = a + m.index;
    const value = parseValue(s, at + m[0].length, b, kind);
    out.push({ kind, at, obj: innermost(objs, at), depth: escapeDepth(m[1]!.length), value });
  }
  return out;
}

function decodeValue(w: Window, v: Pair['value']): string {
  let t = utf8(w.bytes, v.a, v.b);
  if (v.quoted) for (let i = 0; i <= v.depth; i++) t = unescapeOnce(t);
  return v.truncated ? tidyMessage(t) + '…' : tidyMessage(t);
}

function statusOf(text: string): number | null {
  const m = /^"?(\d{3})"?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 100 && n <= 599 ? n : null;
}

function requestIdOf(text: string): string | null {
  const t = text.trim();
  // A request id is one token; "None", "null" and the doc's "******" are no id.
  if (!/^[A-Za-z0-9][A-Za-z0-9._:\-]{3,127}$/.test(t) || /^(none|null|undefined|nil)$/i.test(t)) return null;
  return t;
}

// Status words a line may carry outside any key: "HTTP/1.1 404", "HTTP 404", "status 404",
// and the Huawei Terraform provider's prefixes ("Bad request with: [POST https://...]").
const LINE_STATUS = /\b(?:HTTP\/\d(?:\.\d)?|HTTP|status(?: code)?)[ :=]+(\d{3})\b/i;
const TERRAFORM_PREFIX =
  /\b(Bad request|Unauthorized|Authentication failed|Request forbidden|Action forbidden|Permission denied|Resource not found|Method not allowed|Request timeout|Conflict|Too many requests|Internal Server Error|Bad gateway|Service unavailable|Gateway timeout)(?: with)?: \[(?:GET|POST|PUT|DELETE|PATCH|HEAD)\s/i;
const TERRAFORM_STATUS: Record<string, number> = {
  'bad request': 400,
  unauthorized: 401,
  'authentication failed': 401,
  'request forbidden': 403,
  'action forbidden': 403,
  'permission denied': 403,
  'resource not found': 404,
  'method not allowed': 405,
  'request timeout': 408,
  conflict: 409,
  'too many requests': 429,
  'internal server error': 500,
  'bad gateway': 502,
  'service unavailable': 503,
  'gateway timeout': 504,
};

function lineStatus(line: string): number | null {
  const t = TERRAFORM_PREFIX.exec(line);
  if (t) return TERRAFORM_STATUS[t[1]!.toLowerCase()] ?? null;
  const m = LINE_STATUS.exec(line);
  return m ? statusOf(m[1]!) : null;
}

/** True when the line looks like part of a block that began on an earlier line. */
function continuesBlock(s: string, ls: number, le: number): boolean {
  const c = s.charCodeAt(ls);
  if (isSpace(c) || c === 34 /* " */ || c === 39 /* ' */) return true;
  // A line that closes more than it opens ends an earlier structure.
  let depth = 0;
  for (let i = ls; i < le; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 123) depth++;
    else if (ch === 125 && --depth < 0) return true;
  }
  return false;
}

/** Where looking back for the start of a multi-line record must stop. */
function backFloor(s: string, ls: number, min: number): number {
  let floor = ls;
  for (let n = 0; n < BACK_LINES && floor > min; n++) {
    const prevEnd = floor - 1;
    const ps = lineStart(s, prevEnd, min);
    if (ls - ps > BACK_BYTES) break;
    const blank = /^\s*$/.test(s.slice(ps, prevEnd));
    if (blank) break;
    floor = ps;
    // A line that starts at column 0 opens the record (pretty JSON's "{", "ClientRequestException {").
    if (!isSpace(s.charCodeAt(ps))) break;
  }
  return floor;
}

/** Unmatched '{' before p, back to floor: the structures that enclose p, innermost first. */
function openersBefore(s: string, p: number, floor: number): number[] {
  const out: number[] = [];
  let need = 0;
  for (let i = p - 1; i >= floor; i--) {
    const c = s.charCodeAt(i);
    if (c === 125) need++;
    else if (c === 123) {
      if (need > 0) need--;
      else out.push(i);
    }
  }
  return out;
}

/**
 * Where each opener closes, in one pass from the outermost: the index of its '}', -1 when it does
 * not close within the limit, -2 when the input ends first and more is coming.
 */
function closesOf(s: string, openers: readonly number[], limit: number, final: boolean): number[] {
  const out = openers.map(() => -1);
  if (openers.length === 0) return out;
  const outer = openers[openers.length - 1]!;
  const end = Math.min(s.length, outer + limit);
  const stack: number[] = [];
  let open = openers.length;
  for (let i = outer; i < end && open > 0; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) stack.push(i);
    else if (c === 125) {
      const o = stack.pop();
      const k = o === undefined ? -1 : openers.indexOf(o);
      if (k >= 0) {
        out[k] = i;
        open--;
      }
    }
  }
  if (open > 0 && end === s.length && !final) return out.map((x) => (x === -1 ? -2 : x));
  return out;
}

export interface Extracted {
  observed: ObservedRecord;
  /** End of the record in the window: the same code again before this point is the same record. */
  end: number;
}

/**
 * Read the record around the code at [p, q) in the window. Returns 'more' when the record may
 * continue past the end of the window and more input is coming.
 */
export function extractRecord(w: Window, p: number, q: number, min: number): Extracted | 'more' {
  const { s } = w;
  // The code's line, or LINE_SPAN of it on each side when it is longer.
  const lsFloor = Math.max(min, p - LINE_SPAN);
  const ls = lineStart(s, p, lsFloor);
  const lineBegins = ls > lsFloor || lsFloor === min || s.charCodeAt(ls - 1) === 10;
  const le = lineEnd(s, q, Math.min(s.length, q + LINE_SPAN));
  if (le === s.length && !w.final) return 'more';

  // The enclosing structure: on this line, or spanning lines when the line continues a block.
  const floor = lineBegins && continuesBlock(s, ls, le) ? backFloor(s, ls, Math.max(min, p - BACK_BYTES)) : ls;
  // The innermost few enclosing structures are enough; a line of thousands of braces must not cost more.
  const openers = openersBefore(s, p, floor).slice(0, MAX_OPENERS);
  const closes = closesOf(s, openers, FORWARD_BYTES, w.final);
  let rs = ls;
  let re = le;
  for (let k = openers.length - 1; k >= 0; k--) {
    if (closes[k] === -2) return 'more';
    if (closes[k]! >= q) {
      rs = Math.min(rs, lineStart(s, openers[k]!, floor));
      re = Math.max(re, closes[k]! + 1);
      break;
    }
  }

  const objs = objectsIn(s, rs, re);
  const pairs = pairsIn(s, rs, re, objs);

  // The code's own key (errorCode, error_code, code ...) at whatever depth holds it, or else a message
  // that mentions it.
  let codeObj = innermost(objs, p);
  let codeDepth = 0;
  let message: string | null = null;
  const own = pairs.find((x) => x.kind === 'code' && !x.value.object && x.value.a <= p && q <= x.value.b);
  if (own) {
    codeObj = own.obj;
    codeDepth = own.depth;
  } else {
    const inMessage = pairs.filter((x) => x.kind === 'message' && !x.value.object && x.value.a <= p && q <= x.value.b).pop();
    if (inMessage) message = decodeValue(w, inMessage.value);
  }
  if (message === null) {
    const candidates = pairs.filter((x) => x.kind === 'message' && !x.value.object && x.obj === codeObj && x.value.b > x.value.a);
    const same = candidates.find((x) => x.depth === codeDepth) ?? candidates[0];
    if (same) message = decodeValue(w, same.value);
  }

  // Status and request id: the code's object first, then the objects around it, then keys outside
  // every object on the same record, then the line's words, then the HTTP transcript above it.
  const chain: number[] = [];
  for (let o = codeObj; o >= 0 && chain.length < MAX_DEPTH; o = objs[o]!.parent) chain.push(o);
  chain.push(-1);
  const byObj = new Map<number, Pair[]>();
  for (const x of pairs) {
    if (x.value.object || (x.kind !== 'status' && x.kind !== 'requestId')) continue;
    const list = byObj.get(x.obj);
    if (list) list.push(x);
    else byObj.set(x.obj, [x]);
  }
  let httpStatus: number | null = null;
  let requestId: string | null = null;
  for (const o of chain) {
    const here = (byObj.get(o) ?? []).sort((x, y) => Math.abs(x.at - p) - Math.abs(y.at - p));
    if (httpStatus === null) {
      for (const x of here) if (x.kind === 'status' && (httpStatus = statusOf(decodeValue(w, x.value))) !== null) break;
    }
    if (requestId === null) {
      for (const x of here) if (x.kind === 'requestId' && (requestId = requestIdOf(decodeValue(w, x.value))) !== null) break;
    }
  }
  if (httpStatus === null) httpStatus = lineStatus(s.slice(ls, le));
  if (httpStatus === null || requestId === null) {
    // Only a record that starts a line can follow an HTTP head.
    const headFloor = Math.max(min, rs - LINE_SPAN);
    const rsLine = lineStart(s, rs, headFloor);
    const ctx = rsLine > headFloor || headFloor === min ? httpContextBefore(w, rsLine, min) : undefined;
    if (ctx) {
      httpStatus ??= ctx.httpStatus;
      requestId ??= ctx.requestId;
    }
  }
  return { observed: { httpStatus, requestId, message: message === '' ? null : message }, end: re };
}

/** Exposed for tests: how a key at the start of `text` is read. */
export function readKeyAt(text: string): { key: string; kind: KeyKind | undefined; value: string } | undefined {
  KEY_RE.lastIndex = 0;
  const m = KEY_RE.exec(text);
  if (!m) return undefined;
  const kind = KEY_KINDS[normKey(m[3]!)];
  const v = parseValue(text, m[0].length, text.length, kind ?? 'code');
  const w: Window = { s: text, bytes: Buffer.from(text, 'latin1'), final: true };
  return { key: m[3]!, kind, value: v.object ? '{…}' : decodeValue(w, v) };
}
