// Positions inside JSON text: where a syntax error is, and where the value at a path starts.
// Used only to turn a broken user catalog into a FILE:LINE:COL message; the happy path uses JSON.parse.

export interface Position {
  line: number;
  col: number;
  offset: number;
}

export type PathSegment = string | number;

export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1, offset };
}

interface Frame {
  kind: 'object' | 'array';
  key: PathSegment | undefined;
  /** Where the current property name starts. */
  keyOffset: number;
  index: number;
}

export interface ScanResult {
  /** Offset where the value at `target` starts, if it was found. */
  found?: number;
  /** When the target is an object property: where its name starts. */
  keyFound?: number;
  /** First syntax error, if any. */
  error?: { offset: number; reason: string };
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * One pass over the text with an explicit stack (so depth is not limited by the call stack).
 * Stops at the first syntax error or, when `target` is given, at the start of that value.
 */
export function scanJson(text: string, target?: readonly PathSegment[]): ScanResult {
  const stack: Frame[] = [];
  let i = 0;
  const n = text.length;
  const atTarget = (): boolean => {
    if (!target || target.length !== stack.length) return false;
    for (let d = 0; d < stack.length; d++) {
      const f = stack[d]!;
      const seg = f.kind === 'array' ? f.index : f.key;
      if (seg !== target[d]) return false;
    }
    return true;
  };
  const skipWs = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const fail = (reason: string, at = i): ScanResult => ({ error: { offset: Math.min(at, n), reason } });
  // Builds the string only for property names; values are skipped (they can be megabytes long).
  const readString = (build: boolean): string | ScanResult => {
    // text[i] === '"'
    let out = '';
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return fail('unterminated string');
        if ('"\\/bfnrt'.includes(e)) {
          if (build) out += e === 'b' ? '\b' : e === 'f' ? '\f' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          if (build) out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        return fail('invalid escape in string');
      }
      if (c < 0x20) return fail('control character in string');
      if (build) out += text[i];
      i++;
    }
    return fail('unterminated string');
  };
  const readScalar = (): ScanResult | undefined => {
    const rest = text.slice(i, i + 5);
    for (const word of ['true', 'false', 'null']) {
      if (rest.startsWith(word)) {
        i += word.length;
        return undefined;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0) {
      i += m[0].length;
      return undefined;
    }
    return fail(i >= n ? 'unexpected end of file' : `unexpected character ${JSON.stringify(text[i])}`);
  };

  /** Read `"name":` into the frame; a ScanResult on a syntax error. */
  const readKey = (frame: Frame): ScanResult | undefined => {
    if (text[i] !== '"') return fail('expected a property name in double quotes');
    frame.keyOffset = i;
    const k = readString(true);
    if (typeof k !== 'string') return k;
    frame.key = k;
    skipWs();
    if (text[i] !== ':') return fail("expected ':' after property name");
    i++;
    return undefined;
  };

  // Expect a value, then unwind containers.
  skipWs();
  for (;;) {
    // ---- a value starts here
    skipWs();
    if (atTarget()) {
      const top = stack[stack.length - 1];
      return top?.kind === 'object' ? { found: i, keyFound: top.keyOffset } : { found: i };
    }
    if (i >= n) return fail('unexpected end of file');
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skipWs();
      const frame: Frame = { kind: c === '{' ? 'object' : 'array', key: undefined, keyOffset: 0, index: 0 };
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) {
        i++;
      } else {
        stack.push(frame);
        if (frame.kind === 'object') {
          const bad = readKey(frame);
          if (bad) return bad;
        }
        continue;
      }
    } else if (c === '"') {
      const s = readString(false);
      if (typeof s !== 'string') return s;
    } else {
      const r = readScalar();
      if (r) return r;
    }
    // ---- a value ended; close or continue containers
    for (;;) {
      skipWs();
      const top = stack[stack.length - 1];
      if (!top) {
        if (i < n) return fail('unexpected text after the end of the JSON value');
        return {};
      }
      const close = top.kind === 'object' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        skipWs();
        if (top.kind === 'array') {
          top.index++;
        } else {
          const bad = readKey(top);
          if (bad) return bad;
        }
        break;
      }
      if (text[i] === close) {
        i++;
        stack.pop();
        continue;
      }
      return fail(i >= n ? 'unexpected end of file' : `expected ',' or '${close}'`);
    }
  }
}
