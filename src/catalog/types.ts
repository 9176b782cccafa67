// Shapes of the catalog: the JSON files on disk (CatalogFile) and the normalized, indexed form the
// rest of the program reads (CatalogEntry, Variant). catalog/schema.json is the same contract as JSON Schema.

/** Where a piece of text came from. */
export type Origin =
  /** Huawei's own words, copied from the user's document or a public Huawei page. */
  | 'official'
  /** Huawei's own words that the user's document lost, restored from the public page. */
  | 'restored'
  /** Written by ges-err's maintainers as a translation of the other language's official text. */
  | 'translated'
  /** Written by ges-err's maintainers: notes, flags and explanations that are not in any source. */
  | 'editorial'
  /** Supplied by a user catalog. */
  | 'user';

export const ORIGINS: readonly Origin[] = ['official', 'restored', 'translated', 'editorial', 'user'];

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

export type NoteKind =
  | 'oddity'
  | 'typo'
  | 'overlap'
  | 'operator'
  | 'example'
  | 'superseded'
  | 'unverified'
  | 'undocumented'
  | 'info';

export const NOTE_KINDS: readonly NoteKind[] = [
  'oddity',
  'typo',
  'overlap',
  'operator',
  'example',
  'superseded',
  'unverified',
  'undocumented',
  'info',
];

// ---- on disk ------------------------------------------------------------------------------------

/** A text: a bare string (origin taken from the file's default) or a string with its provenance. */
export type TextJson = string | { text: string; origin?: Origin; source?: string; from?: Lang };
export type StepsJson = string[] | { steps: string[]; origin?: Origin; source?: string; from?: Lang };
export type BilingualTextJson = { en?: TextJson; zh?: TextJson };
export type BilingualStepsJson = { en?: StepsJson; zh?: StepsJson };
export interface NoteJson {
  kind: NoteKind;
  en?: TextJson;
  zh?: TextJson;
}

export interface VariantJson {
  httpStatus: number | null;
  message: BilingualTextJson;
  description?: BilingualTextJson;
  remediation?: BilingualStepsJson;
  retryable?: boolean;
  notes?: NoteJson[];
}

export interface EntryJson {
  code: string;
  docUrl?: { en?: string; zh?: string };
  notes?: NoteJson[];
  variants: VariantJson[];
}

export interface SourceJson {
  id: string;
  title: string;
  url?: string;
  lang?: Lang;
  note?: string;
}

export interface CatalogFileJson {
  $schema?: string;
  schemaVersion: 1;
  id?: string;
  family?: string;
  familyName?: { en?: string; zh?: string };
  version?: string;
  sourcesDate?: string;
  defaultOrigin?: Origin;
  sources?: SourceJson[];
  docUrl?: { en?: string; zh?: string };
  intro?: BilingualTextJson;
  entries: EntryJson[];
}

// ---- in memory ----------------------------------------------------------------------------------

export interface Text {
  text: string;
  origin: Origin;
  source?: string;
  from?: Lang;
}
export interface Steps {
  steps: string[];
  origin: Origin;
  source?: string;
  from?: Lang;
}
export type Bilingual<T> = { en?: T; zh?: T };

export interface Note {
  kind: NoteKind;
  en?: Text;
  zh?: Text;
}

export interface Variant {
  httpStatus: number | null;
  message: Bilingual<Text>;
  description: Bilingual<Text>;
  remediation: Bilingual<Steps>;
  retryable: boolean;
  notes: Note[];
}

/** What every entry of one catalog file shares. */
export interface CatalogInfo {
  id: string;
  family: string;
  familyName: { en: string; zh: string };
  version?: string;
  sourcesDate?: string;
  sources: SourceJson[];
  /** Path of a user catalog; undefined for the bundled ones. */
  userPath?: string;
  intro: Bilingual<Text>;
}

/**
 * What `ges-err list` and filters read of an entry: its code, catalog, and each variant's status and
 * message. A CatalogEntry is one; Catalog.heads gives these without building whole entries.
 */
export interface EntryHead {
  code: string;
  catalog: CatalogInfo;
  variants: Pick<Variant, 'httpStatus' | 'message'>[];
}

export interface CatalogEntry {
  code: string;
  catalog: CatalogInfo;
  docUrl: { en?: string; zh?: string };
  notes: Note[];
  variants: Variant[];
  /** Set when a user catalog replaced a bundled entry of the same code. */
  overrides?: CatalogInfo;
}
