// Word wrapping that knows CJK: English breaks at spaces, Chinese between any two characters,
// closing punctuation never starts a line, and a word longer than the line is cut.

import { charWidth, displayWidth, isWideChar } from './width.js';

// Characters that must not begin a line (kinsoku), CJK and ASCII.
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〕〉”’…％,.;:!?)]}%']);
// Characters that must not end a line: opening brackets and quotes stay with what follows.
const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{']);

/** Split one paragraph into unbreakable pieces, each with the spaces that follow it. */
function pieces(paragraph: string): string[] {
  const out: string[] = [];
  let cur = '';
  let glue = false;
  // Whether the last character of `cur` is wide.
  let lastWide = false;
  const flush = () => {
    if (cur) out.push(cur);
    cur = '';
  };
  for (const ch of paragraph) {
    if (glue && ch !== ' ') {
      cur += ch;
      lastWide = isWideChar(ch);
      glue = NO_LINE_END.has(ch);
      continue;
    }
    glue = false;
    if (ch === ' ') {
      cur += ch;
      lastWide = false;
      continue;
    }
    const wide = isWideChar(ch);
    if (NO_LINE_START.has(ch)) {
      // Stick to whatever precedes it (strip the space a piece may end with first).
      if (cur.endsWith(' ')) flush();
      cur += ch;
      lastWide = wide;
      continue;
    }
    if (cur.endsWith(' ') || wide || NO_LINE_END.has(ch) || (cur && lastWide)) flush();
    cur += ch;
    lastWide = wide;
    glue = NO_LINE_END.has(ch);
  }
  flush();
  return out;
}

function hardSplit(piece: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of piece) {
    const cw = charWidth(ch);
    if (w + cw > width && line) {
      const chars = [...line];
      let carry = '';
      if (NO_LINE_START.has(ch) && chars.length > 1) {
        // Closing punctuation may not start the new line: take the character before it along
        // (and any closing punctuation before that), as long as the width allows it.
        const kept = [...chars];
        do carry = chars.pop()! + carry;
        while (chars.length > 1 && NO_LINE_START.has(carry[0]!));
        if (displayWidth(carry) + cw > width) {
          chars.splice(0, chars.length, ...kept);
          carry = '';
        }
      }
      out.push(chars.join(''));
      line = carry;
      w = displayWidth(carry);
    }
    line += ch;
    w += cw;
  }
  if (line) out.push(line);
  return out;
}

/** Wrap text to `width` columns. Existing newlines are kept. Returns the lines. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    if (displayWidth(paragraph) <= w) {
      lines.push(paragraph);
      continue;
    }
    let line = '';
    let lineW = 0;
    for (const p of pieces(paragraph)) {
      const trimmed = p.replace(/ +$/, '');
      const tw = displayWidth(trimmed);
      if (lineW + tw <= w) {
        line += p;
        lineW += displayWidth(p);
        continue;
      }
      if (line.trim()) lines.push(line.replace(/ +$/, ''));
      line = '';
      lineW = 0;
      if (tw > w) {
        const parts = hardSplit(trimmed, w);
        lines.push(...parts.slice(0, -1));
        line = parts[parts.length - 1]! + p.slice(trimmed.length);
      } else line = p;
      lineW = displayWidth(line);
    }
    if (line.trim() || lines.length === 0) lines.push(line.replace(/ +$/, ''));
  }
  return lines;
}

/**
 * Wrap with a hanging indent: the first line starts with `lead`, the others with `indent` spaces
 * (by default as many as the lead is wide, so "1. " steps line up).
 */
export function wrapHanging(lead: string, text: string, width: number, indent = displayWidth(lead)): string[] {
  const pad = ' '.repeat(indent);
  const first = wrap(text, Math.max(1, width - displayWidth(lead)))[0] ?? '';
  const rest = text.slice(text.indexOf(first) + first.length).replace(/^ +/, '');
  const tail = rest ? wrap(rest, Math.max(1, width - indent)) : [];
  return [lead + first, ...tail.map((l) => pad + l)];
}
