// Picks the renderer for a format. Every human format draws the same blocks (sections.ts).

import type { Format } from '../cli/spec.js';
import { renderMarkdownBlocks } from './markdown.js';
import { renderPlainBlocks } from './plain.js';
import { toBlocks, type AnyResult, type LangChoice } from './sections.js';
import type { Style } from './style.js';
import { renderTableBlocks } from './table.js';
import { renderTsv } from './tsv.js';

export interface RenderOptions {
  format: Exclude<Format, 'json'>;
  lang: LangChoice;
  style: Style;
  columns: number;
}

export function renderResults(results: readonly AnyResult[], o: RenderOptions): string {
  if (o.format === 'tsv') return renderTsv(results);
  const blocks = results.flatMap((r) => toBlocks(r, o.lang));
  if (o.format === 'md') return renderMarkdownBlocks(blocks);
  if (o.format === 'table') return renderTableBlocks(blocks, o.style, o.columns);
  return renderPlainBlocks(blocks, o.style);
}
