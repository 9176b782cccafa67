// Plain text: what a pipe gets by default. No wrapping and no borders, one fact per line, so grep,
// less and a person all read it well.

import type { Block } from './sections.js';
import type { Style } from './style.js';
import { displayWidth } from './width.js';

export function renderPlainBlocks(blocks: readonly Block[], style: Style): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (out.length) out.push('');
    out.push(`${style.code(b.code)}  ${b.facts.join('  ')}`);
    const w = Math.max(...b.sections.map((s) => displayWidth(s.label)));
    for (const s of b.sections) {
      const pad = ' '.repeat(w - displayWidth(s.label));
      const indent = ' '.repeat(w + 4);
      s.lines.forEach((line, i) => {
        const text = s.warn ? style.warn(line) : line;
        out.push(i === 0 ? `  ${style.label(s.label)}${pad}  ${text}` : `${indent}${text}`);
      });
      if (s.marker) out.push(`${indent}${style.dim(s.marker)}`);
    }
  }
  return out.join('\n') + '\n';
}
