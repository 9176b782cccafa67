// The one structured result every output format renders: a catalog entry seen through one of its
// variants. Field names here are the --json contract documented in the README (schemaVersion 1).

import type { CatalogEntry, Lang, Note, NoteKind, Origin, Steps, Text, Variant } from './catalog/types.js';

export const JSON_SCHEMA_VERSION = 1;

export interface Provenance {
  origin: Origin;
  /** id of a source listed by the catalog (see `ges-err list --json`), when known. */
  source: string | null;
  /** For a translation: the language it was translated from. */
  from: Lang | null;
}

export interface VariantView {
  /** 1-based position of this variant in the catalog entry. */
  index: number;
  httpStatus: number | null;
  message: { en: string | null; zh: string | null };
  description: { en: string | null; zh: string | null };
  remediation: { en: string[]; zh: string[] };
  retryable: boolean;
  notes: NoteView[];
  provenance: {
    message: { en: Provenance | null; zh: Provenance | null };
    description: { en: Provenance | null; zh: Provenance | null };
    remediation: { en: Provenance | null; zh: Provenance | null };
  };
}

export interface NoteView {
  kind: NoteKind;
  en: string | null;
  zh: string | null;
  origin: Origin;
}

export interface ExplainedResult extends Omit<VariantView, 'index'> {
  code: string;
  family: string;
  familyName: { en: string; zh: string };
  docUrl: string | null;
  docUrls: { en: string | null; zh: string | null };
  catalog: { id: string; version: string | null; user: boolean; path: string | null; overrides: string | null };
  /** 1-based index of the variant shown, and how many the code has. */
  variant: { index: number; count: number };
  /** The code's other variants (same code, other HTTP status or message), most relevant first. */
  otherVariants: VariantView[];
}

export const prov = (t: Text | Steps | undefined): Provenance | null =>
  t ? { origin: t.origin, source: t.source ?? null, from: t.from ?? null } : null;

function noteView(n: Note): NoteView {
  return { kind: n.kind, en: n.en?.text ?? null, zh: n.zh?.text ?? null, origin: (n.en ?? n.zh)!.origin };
}

function variantView(v: Variant, i: number): VariantView {
  return {
    index: i + 1,
    httpStatus: v.httpStatus,
    message: { en: v.message.en?.text ?? null, zh: v.message.zh?.text ?? null },
    description: { en: v.description.en?.text ?? null, zh: v.description.zh?.text ?? null },
    remediation: { en: v.remediation.en?.steps ?? [], zh: v.remediation.zh?.steps ?? [] },
    retryable: v.retryable,
    notes: v.notes.map(noteView),
    provenance: {
      message: { en: prov(v.message.en), zh: prov(v.message.zh) },
      description: { en: prov(v.description.en), zh: prov(v.description.zh) },
      remediation: { en: prov(v.remediation.en), zh: prov(v.remediation.zh) },
    },
  };
}

/**
 * Build the result for an entry. `order` lists variant indexes, most relevant first (diagnose puts
 * the variant matching the observed status first); by default the catalog's order.
 */
export function explainEntry(entry: CatalogEntry, order?: readonly number[]): ExplainedResult {
  const idx = order && order.length === entry.variants.length ? order : entry.variants.map((_, i) => i);
  const [main, ...rest] = idx.map((i) => variantView(entry.variants[i]!, i));
  if (!main) throw new Error(`catalog entry ${entry.code} has no variant`);
  main.notes = [...entry.notes.map(noteView), ...main.notes];
  return {
    code: entry.code,
    family: entry.catalog.family,
    familyName: entry.catalog.familyName,
    httpStatus: main.httpStatus,
    message: main.message,
    description: main.description,
    remediation: main.remediation,
    retryable: main.retryable,
    docUrl: entry.docUrl.en ?? entry.docUrl.zh ?? null,
    docUrls: { en: entry.docUrl.en ?? null, zh: entry.docUrl.zh ?? null },
    notes: main.notes,
    provenance: main.provenance,
    catalog: {
      id: entry.catalog.id,
      version: entry.catalog.version ?? null,
      user: entry.catalog.userPath !== undefined,
      path: entry.catalog.userPath ?? null,
      overrides: entry.overrides?.id ?? null,
    },
    variant: { index: idx[0]! + 1, count: entry.variants.length },
    otherVariants: rest,
  };
}
