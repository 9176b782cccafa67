// Every way a person writes an error code, reduced to one canonical form: "ges-7018", "GES 7018",
// "ＧＥＳ．７０１８", "'GES.7018'," and "7018" all become { prefix: "GES", number: "7018" }.

import { hasDigit, isAscii } from './chars.js';

export interface CodeQuery {
  /** Upper-case family prefix ("GES", "APIGW"), or null for a bare number. */
  prefix: string | null;
  number: string;
  /** The canonical spelling: "GES.7018", or the bare number. */
  canonical: string;
}

// Separators people put between prefix and number, after NFKC has folded full-width forms:
// ASCII . - _ space / : plus the CJK full stop, middle dots and Unicode dashes an IME produces.
const SEPARATORS = /[\s._\-/:\u3002\uFF61\u30FB\u00B7\u2010-\u2015\u2212\u2027\uFE52\uFE58\uFE63]+/gu;
const QUOTES_AND_BRACKETS = /^[\s"'`\u2018\u2019\u201C\u201D\u300C-\u300F\u3008-\u3011([{<]+|[\s"'`\u2018\u2019\u201C\u201D\u300C-\u300F\u3008-\u3011)\]}>]+$/gu;
const TRAILING_PUNCTUATION = /[.,;:!?\u3001\u3002\uFF0C\uFF1B\uFF1A\uFF01\uFF1F]+$/u;
const CODE_SHAPE = /^([A-Za-z][A-Za-z0-9]*?)\.?(\d{1,8})$/;
const NUMBER_SHAPE = /^\d{1,8}$/;

/**
 * A code typed plainly ("GES.7018", "ges-7018", "APIGW_0101", "7018"): read without the Unicode-aware
 * expressions below, whose compilation was most of a lookup's parsing (~0.2 ms). Anything else,
 * and anything this does not match, takes the general path, which reads these the same way.
 */
const PLAIN_CODE = /^(?:([A-Za-z][A-Za-z0-9]*?)[._-]?)?(\d{1,8})$/;
/** Characters of plainly typed codes: such an argument holds no separator between codes. */
const PLAIN_WORD = /^[A-Za-z0-9._-]+$/;

// ASCII text is unchanged by NFKC; skipping normalize() for it saves loading ICU's normalization
// data (~0.2 ms) on the common path, a code typed in ASCII.
const nfkc = (s: string): string => (isAscii(s) ? s : s.normalize('NFKC'));

/** Fold full-width letters and digits, quotes and separators; no judgement about what it is yet. */
export function foldCodeText(input: string): string {
  let s = nfkc(input);
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(QUOTES_AND_BRACKETS, '').replace(TRAILING_PUNCTUATION, '').trim();
  }
  return s;
}

/** The query for a number alone ("7018"): it finds the code of that number in any family. */
export function bareNumber(number: string): CodeQuery {
  return { prefix: null, number, canonical: number };
}

/** Parse one written code; undefined when the text is not shaped like a code. */
export function parseCode(input: string): CodeQuery | undefined {
  if (input.length > 64) return undefined;
  const plain = PLAIN_CODE.exec(input);
  if (plain) {
    if (plain[1] === undefined) return bareNumber(plain[2]!);
    const prefix = plain[1].toUpperCase();
    return { prefix, number: plain[2]!, canonical: `${prefix}.${plain[2]!}` };
  }
  const folded = foldCodeText(input);
  if (NUMBER_SHAPE.test(folded)) return bareNumber(folded);
  const compact = folded.replace(SEPARATORS, '.');
  const m = CODE_SHAPE.exec(compact);
  if (!m) return undefined;
  const prefix = m[1]!.toUpperCase();
  const number = m[2]!;
  return { prefix, number, canonical: `${prefix}.${number}` };
}

/**
 * True for a word such as "ipv6", "base64" or "http2": letters followed straight by one to three
 * digits. parseCode reads it as a code (IPV.6); unless its letters are a prefix ges-err knows
 * ("ges18", a slip in a GES code), the caller should take it as a word: Huawei Cloud services'
 * codes have four or more digits.
 */
export function isWordWithNumber(input: string): boolean {
  return /^[A-Za-z]+\d{1,3}$/.test(input);
}

/**
 * Words people write before a code's number that name no service: "HTTP 404", "status 403", "error
 * code 7018". Before another word they are skipped, so the number is read alone (a bare number
 * finds the code of that number in any family, and a status gets the codes documented with it).
 */
const LEAD_WORDS = new Set(['HTTP', 'HTTPS', 'STATUS', 'ERROR', 'ERR', 'CODE', 'ERRORCODE', 'ERRCODE']);

/** Lead words that say the number after them is an HTTP status ("HTTP 404", "status 403"). */
const STATUS_LEAD_WORDS = new Set(['HTTP', 'HTTPS', 'STATUS']);

/**
 * A word as lead words are compared: upper case, and folded unless plain (folding compiles
 * Unicode-aware expressions, see PLAIN_CODE).
 */
const asLeadWord = (input: string): string => (PLAIN_WORD.test(input) ? input : foldCodeText(input)).toUpperCase();

/** True for a word of LEAD_WORDS, in any case or width. */
export function isLeadWord(input: string): boolean {
  return LEAD_WORDS.has(asLeadWord(input));
}

/** True for a lead word that names an HTTP status (HTTP, HTTPS, STATUS), in any case or width. */
export function isStatusLeadWord(input: string): boolean {
  return STATUS_LEAD_WORDS.has(asLeadWord(input));
}

/** True for a parsed code's prefix (upper case, folded) that is a lead word ("HTTP.404"). */
export function isLeadPrefix(prefix: string | null): boolean {
  return prefix !== null && LEAD_WORDS.has(prefix);
}

/** True for a bare family prefix such as "GES" or "apigw", which may be followed by its number as the next argument. */
export function isPrefixOnly(input: string): boolean {
  return /^[A-Za-z][A-Za-z]{1,31}$/.test(foldCodeText(input));
}

/** A code read from the command line. */
export interface ParsedCodeArg {
  /** The words it was read from, as typed. */
  input: string;
  code: CodeQuery;
  /** "HTTP", "status": the word before it that calls it an HTTP status, as typed. */
  statusLead?: string;
}

/**
 * Read command-line arguments as codes. "GES" "7018" (two arguments) counts as one code.
 * Returns undefined as soon as one argument is not code-shaped: the caller then treats the
 * arguments as free text or a pasted response.
 */
export function parseCodeArgs(args: readonly string[]): ParsedCodeArg[] | undefined {
  // Every code has digits, and folding ASCII text makes none: plain words ("graph not running") are
  // turned away before the general path compiles its Unicode-aware expressions (~0.3 ms).
  if (args.every((a) => isAscii(a) && !hasDigit(a))) return undefined;
  const out: ParsedCodeArg[] = [];
  // An argument may hold several codes separated by commas or spaces ("GES.7018, GES.7000").
  const words = args.flatMap((a) => (PLAIN_WORD.test(a) ? [a] : nfkc(a).split(/[,;\s\u3001\uFF0C]+/u))).filter((w) => w !== '');
  let statusLead: string | undefined; // "HTTP" in "HTTP 404", as typed
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    // "HTTP 404", "error code 7018": the number alone.
    if (next !== undefined && isLeadWord(w)) {
      statusLead = isStatusLeadWord(w) ? w : statusLead;
      continue;
    }
    if (next !== undefined && isPrefixOnly(w) && NUMBER_SHAPE.test(foldCodeText(next))) {
      const code = parseCode(`${w}.${foldCodeText(next)}`);
      if (!code) return undefined;
      out.push({ input: `${w} ${next}`, code });
      statusLead = undefined;
      i++;
      continue;
    }
    const code = parseCode(w);
    if (!code) return undefined;
    out.push(statusLead === undefined ? { input: w, code } : { input: w, code, statusLead });
    statusLead = undefined;
  }
  return out.length > 0 ? out : undefined;
}

/** A code found inside text, and the letters it was found by reading as digits, if any. */
export interface CodeWithin extends CodeQuery {
  /** Letters read as digits ("O" as "0" in "GES.7O18"), each once, as written. */
  lookalikes?: { letter: string; digit: string }[];
}

/** Letters typed, or left by a PDF or OCR, where a code has digits: O for 0, I and l for 1. */
const LOOKALIKE_DIGITS: Readonly<Record<string, string>> = { O: '0', o: '0', I: '1', l: '1' };

/**
 * Code-shaped runs inside text that is not a code as a whole ("GES.7018x", "code=ges_7018;"), for a
 * "did you mean": a prefix of letters, an optional separator, four digits not followed by a digit.
 * Then runs whose four "digits" hold letters that look like digits ("GES.7O18", "ges-7l18"): codes'
 * numbers are digits only, so such a run is a code mistyped, read with each letter as its digit.
 */
export function codesWithin(text: string): CodeWithin[] {
  if (text.length > 4096) return [];
  const out: CodeWithin[] = [];
  const add = (prefix: string, number: string, lookalikes?: CodeWithin['lookalikes']) => {
    const code = parseCode(`${prefix}.${number}`);
    if (code && !out.some((c) => c.canonical === code.canonical)) out.push(lookalikes ? { ...code, lookalikes } : code);
  };
  const s = nfkc(text);
  for (const m of s.matchAll(/(?<![A-Za-z])([A-Za-z]{2,16})[\s._\-]?(\d{4})(?!\d)/g)) add(m[1]!, m[2]!);
  for (const m of s.matchAll(/(?<![A-Za-z])([A-Za-z]{2,16})[\s._\-]?([\dOoIl]{4})(?![\dA-Za-z])/g)) {
    const written = m[2]!;
    // At least one real digit ("GES.OOOO" is no code), and at least one letter (all digits: found above).
    if (!hasDigit(written) || /^\d+$/.test(written)) continue;
    const letters = [...new Set(written.replace(/\d/g, ''))];
    add(m[1]!, written.replace(/[OoIl]/g, (c) => LOOKALIKE_DIGITS[c]!), letters.map((letter) => ({ letter, digit: LOOKALIKE_DIGITS[letter]! })));
  }
  return out;
}
