// Words the renderers print around catalog text, in both languages.

import type { Lang, NoteKind, Origin } from '../catalog/types.js';
import type { Provenance } from '../result.js';

export const LABELS = {
  message: { en: 'Message', zh: '描述' },
  description: { en: 'Description', zh: '说明' },
  remediation: { en: 'Remediation', zh: '处理措施' },
  notes: { en: 'Notes', zh: '注意' },
  docs: { en: 'Docs', zh: '文档' },
  retryable: { en: 'Retryable', zh: '可重试' },
  observed: { en: 'Observed', zh: '实际响应' },
  variants: { en: 'Other variants', zh: '其他变体' },
  matched: { en: 'Matched', zh: '匹配' },
} as const;

export const KIND_LABELS: Record<NoteKind, { en: string; zh: string }> = {
  oddity: { en: 'source oddity', zh: '原文异常' },
  typo: { en: 'typo in source', zh: '原文笔误' },
  overlap: { en: 'overlap', zh: '重叠' },
  operator: { en: 'operator-side', zh: '运维侧' },
  example: { en: 'documented example', zh: '文档示例' },
  superseded: { en: 'earlier wording', zh: '早先措辞' },
  unverified: { en: 'unverified', zh: '未核实' },
  undocumented: { en: 'undocumented', zh: '未收录' },
  info: { en: 'note', zh: '说明' },
};

const LANG_NAME = { en: { en: 'English', zh: 'Chinese' }, zh: { en: '英文', zh: '中文' } } as const;

/** A short marker saying where a text came from; empty for Huawei's own words. */
export function provenanceMarker(p: Provenance | null, lang: Lang, userPath?: string | null): string {
  if (!p) return '';
  const origin: Origin = p.origin;
  if (origin === 'official') return '';
  if (lang === 'en') {
    switch (origin) {
      case 'translated':
        return `(translated by ges-err from the ${p.from ? LANG_NAME.en[p.from] : 'other language'}; not Huawei's wording)`;
      case 'restored':
        return "(restored from Huawei's public page; missing from the source copy)";
      case 'editorial':
        return "(written by ges-err; not Huawei's text)";
      case 'user':
        return `(from user catalog${userPath ? ` ${userPath}` : ''})`;
    }
  }
  switch (origin) {
    case 'translated':
      return `（ges-err 译自${p.from ? LANG_NAME.zh[p.from] : '另一语言'}，非华为原文）`;
    case 'restored':
      return '（据华为公开页面补全，源文档副本缺失）';
    case 'editorial':
      return '（ges-err 编写，非华为原文）';
    case 'user':
      return `（来自用户目录${userPath ? ` ${userPath}` : ''}）`;
  }
  return '';
}

export function langsOf(choice: 'en' | 'zh' | 'both'): Lang[] {
  return choice === 'both' ? ['en', 'zh'] : [choice];
}
