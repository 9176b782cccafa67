// The terminal layout: one bordered two-column table per block (cli-table3), wrapped to the
// terminal width with CJK characters counted as two columns.

import Table from 'cli-table3';
import type { Block } from './sections.js';
import type { Style } from './style.js';
import { displayWidth } from './width.js';
import { wrap, wrapHanging } from './wrap.js';

const MIN_WIDTH = 40;

/** Wrap one section's lines to `width`, keeping the hanging indent of numbered steps. */
function wrapLines(lines: readonly string[], width: number): string[] {
  return lines.flatMap((line) => {
    const note = /^\[[^\]]{1,24}\] /.exec(line);
    if (note) return wrapHanging(note[0], line.slice(note[0].length), width, 2);
    const m = /^(\d+\. |- |\s+)/.exec(line);
    return m ? wrapHanging(m[1]!, line.slice(m[1]!.length), width) : wrap(line, width);
  });
}

export function renderTableBlocks(blocks: readonly Block[], style: Style, columns: number): string {
  const total = Math.max(MIN_WIDTH, columns);
  const out: string[] = [];
  for (const b of blocks) {
    const labelW = Math.min(Math.max(...b.sections.map((s) => displayWidth(s.label))), 16);
    // Borders and padding: "│ " + label + " │ " + value + " │" = 7 columns.
    const valueW = total - labelW - 7;
    const table = new Table({
      colWidths: [labelW + 2, valueW + 2],
      wordWrap: false,
      style: { head: [], border: style.border, 'padding-left': 1, 'padding-right': 1 },
    });
    const head = wrap(`${b.code}  ${b.facts.join(' · ')}`, labelW + valueW + 3);
    table.push([{ colSpan: 2, content: head.map((l, i) => (i === 0 ? l.replace(b.code, style.code(b.code)) : l)).join('\n') }]);
    for (const s of b.sections) {
      const body = wrapLines(s.lines, valueW).map((l) => (s.warn ? style.warn(l) : l));
      if (s.marker) body.push(...wrap(s.marker, valueW).map((l) => style.dim(l)));
      table.push([style.label(wrap(s.label, labelW).join('\n')), body.join('\n')]);
    }
    out.push(table.toString());
  }
  return out.join('\n') + '\n';
}
