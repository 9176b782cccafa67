// Markdown for a support ticket or a GitHub issue: the code, the observed response (status,
// request id, server message) and the explanation, in the chosen language(s).

import type { Block } from './sections.js';

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

export function renderMarkdownBlocks(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (out.length) out.push('');
    out.push(`### \`${b.code}\` — ${escapeMd(b.facts.join(' · '))}`, '');
    for (const s of b.sections) {
      if (s.key === 'docs') {
        out.push(`- **${s.label}:** ${s.lines.map((u) => `<${u}>`).join(' ')}`);
        continue;
      }
      if (s.lines.length === 1 && !/^\d+\. /.test(s.lines[0]!)) {
        out.push(`- **${s.label}:** ${escapeMd(s.lines[0]!)}${s.marker ? ` _${escapeMd(s.marker)}_` : ''}`);
        continue;
      }
      out.push('', `**${s.label}:**`, '');
      for (const line of s.lines) {
        if (s.key === 'observed' || s.key === 'notes') out.push(`- ${escapeMd(line)}`);
        else out.push(/^\d+\. /.test(line) ? escapeMd(line).replace(/^(\d+)\\?\. /, '$1. ') : `   ${escapeMd(line.trim())}`);
      }
      if (s.marker) out.push('', `_${escapeMd(s.marker)}_`);
      out.push('');
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
