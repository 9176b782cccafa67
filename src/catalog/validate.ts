// Checks a parsed catalog file against the catalog contract (catalog/schema.json, written out by hand
// so that user catalogs get precise messages without a schema library at run time) and normalizes it.

import {
  LANGS,
  NOTE_KINDS,
  ORIGINS,
  type CatalogEntry,
  type CatalogInfo,
  type Lang,
  type Note,
  type NoteKind,
  type Origin,
  type Steps,
  type Text,
  type Variant,
} from './types.js';
import type { PathSegment } from './json-locate.js';

export interface ValidationIssue {
  path: PathSegment[];
  reason: string;
  /** Point at the property's name rather than its value (unknown properties). */
  atKey?: boolean;
}

export interface ValidatedCatalog {
  info: CatalogInfo;
  entries: CatalogEntry[];
}

export const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,31}\.[0-9]{1,8}$/;
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_ISSUES = 20;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

class Checker {
  issues: ValidationIssue[] = [];
  constructor(
    private readonly defaultOrigin: Origin,
    private readonly sourceIds: Set<string> | undefined,
  ) {}

  fail(path: PathSegment[], reason: string, atKey = false): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push(atKey ? { path, reason, atKey } : { path, reason });
  }

  object(v: unknown, path: PathSegment[], allowed: readonly string[], required: readonly string[] = []): v is Obj {
    if (!isObj(v)) {
      this.fail(path, `expected an object, found ${describe(v)}`);
      return false;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.fail([...path, k], `unknown property ${JSON.stringify(k)} (allowed: ${allowed.join(', ')})`, true);
    }
    for (const k of required) {
      if (!has(v, k)) this.fail(path, `missing required property ${JSON.stringify(k)}`);
    }
    return true;
  }

  string(v: unknown, path: PathSegment[], what = 'a non-empty string'): v is string {
    if (typeof v !== 'string' || v.trim() === '') {
      this.fail(path, `expected ${what}, found ${describe(v)}`);
      return false;
    }
    return true;
  }

  url(v: unknown, path: PathSegment[]): v is string {
    if (!this.string(v, path, 'an http(s) URL')) return false;
    if (!/^https?:\/\/\S+$/.test(v)) {
      this.fail(path, `expected an http(s) URL, found ${JSON.stringify(v)}`);
      return false;
    }
    return true;
  }

  provenance(o: Obj, path: PathSegment[]): { origin: Origin; source?: string; from?: Lang } {
    const out: { origin: Origin; source?: string; from?: Lang } = { origin: this.defaultOrigin };
    if (has(o, 'origin')) {
      if (ORIGINS.includes(o.origin as Origin)) out.origin = o.origin as Origin;
      else this.fail([...path, 'origin'], `origin must be one of ${ORIGINS.join(', ')}, found ${describe(o.origin)}`);
    }
    if (has(o, 'source')) {
      if (this.string(o.source, [...path, 'source'])) {
        if (this.sourceIds && !this.sourceIds.has(o.source)) {
          this.fail([...path, 'source'], `source ${JSON.stringify(o.source)} is not one of the file's "sources" ids`);
        } else out.source = o.source;
      }
    }
    if (has(o, 'from')) {
      if (LANGS.includes(o.from as Lang)) out.from = o.from as Lang;
      else this.fail([...path, 'from'], `from must be "en" or "zh", found ${describe(o.from)}`);
    }
    return out;
  }

  text(v: unknown, path: PathSegment[]): Text | undefined {
    if (typeof v === 'string') {
      return this.string(v, path) ? { text: v, origin: this.defaultOrigin } : undefined;
    }
    if (!this.object(v, path, ['text', 'origin', 'source', 'from'], ['text'])) return undefined;
    const p = this.provenance(v, path);
    if (!this.string(v.text, [...path, 'text'])) return undefined;
    return { text: v.text, ...p };
  }

  steps(v: unknown, path: PathSegment[]): Steps | undefined {
    let list: unknown = v;
    let prov: { origin: Origin; source?: string; from?: Lang } = { origin: this.defaultOrigin };
    let listPath = path;
    if (isObj(v)) {
      if (!this.object(v, path, ['steps', 'origin', 'source', 'from'], ['steps'])) return undefined;
      prov = this.provenance(v, path);
      list = v.steps;
      listPath = [...path, 'steps'];
    }
    if (!Array.isArray(list) || list.length === 0) {
      this.fail(listPath, `expected a non-empty array of steps, found ${describe(list)}`);
      return undefined;
    }
    const steps: string[] = [];
    list.forEach((s, i) => {
      if (this.string(s, [...listPath, i])) steps.push(s);
    });
    return steps.length === list.length ? { steps, ...prov } : undefined;
  }

  bilingualText(v: unknown, path: PathSegment[], needOne: boolean): { en?: Text; zh?: Text } {
    const out: { en?: Text; zh?: Text } = {};
    if (!this.object(v, path, LANGS)) return out;
    for (const lang of LANGS) {
      if (has(v, lang)) {
        const t = this.text(v[lang], [...path, lang]);
        if (t) out[lang] = t;
      }
    }
    if (needOne && !has(v, 'en') && !has(v, 'zh')) this.fail(path, 'needs at least one of "en" or "zh"');
    return out;
  }

  notes(v: unknown, path: PathSegment[]): Note[] {
    if (!Array.isArray(v)) {
      this.fail(path, `expected an array of notes, found ${describe(v)}`);
      return [];
    }
    const out: Note[] = [];
    v.forEach((n, i) => {
      const p = [...path, i];
      if (!this.object(n, p, ['kind', 'en', 'zh'], ['kind'])) return;
      if (!NOTE_KINDS.includes(n.kind as NoteKind)) {
        this.fail([...p, 'kind'], `kind must be one of ${NOTE_KINDS.join(', ')}, found ${describe(n.kind)}`);
        return;
      }
      const note: Note = { kind: n.kind as NoteKind };
      for (const lang of LANGS) {
        if (!has(n, lang)) continue;
        const t = this.text(n[lang], [...p, lang]);
        if (t) note[lang] = t;
      }
      if (!has(n, 'en') && !has(n, 'zh')) this.fail(p, 'a note needs at least one of "en" or "zh"');
      out.push(note);
    });
    return out;
  }

  docUrl(v: unknown, path: PathSegment[]): { en?: string; zh?: string } {
    const out: { en?: string; zh?: string } = {};
    if (!this.object(v, path, LANGS)) return out;
    for (const lang of LANGS) if (has(v, lang) && this.url(v[lang], [...path, lang])) out[lang] = v[lang] as string;
    return out;
  }

  variant(v: unknown, path: PathSegment[]): Variant | undefined {
    const keys = ['httpStatus', 'message', 'description', 'remediation', 'retryable', 'notes'];
    if (!this.object(v, path, keys, ['httpStatus', 'message'])) return undefined;
    const status = v.httpStatus;
    if (status !== null && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
      this.fail([...path, 'httpStatus'], `httpStatus must be an integer from 100 to 599 or null, found ${describe(status)}`);
    }
    const message = this.bilingualText(v.message, [...path, 'message'], true);
    const description = has(v, 'description') ? this.bilingualText(v.description, [...path, 'description'], true) : {};
    const remediation: { en?: Steps; zh?: Steps } = {};
    if (has(v, 'remediation') && this.object(v.remediation, [...path, 'remediation'], LANGS)) {
      const r = v.remediation as Obj;
      for (const lang of LANGS) {
        if (has(r, lang)) {
          const s = this.steps(r[lang], [...path, 'remediation', lang]);
          if (s) remediation[lang] = s;
        }
      }
    }
    if (has(v, 'retryable') && typeof v.retryable !== 'boolean') {
      this.fail([...path, 'retryable'], `retryable must be true or false, found ${describe(v.retryable)}`);
    }
    const notes = has(v, 'notes') ? this.notes(v.notes, [...path, 'notes']) : [];
    return {
      httpStatus: (status as number | null) ?? null,
      message,
      description,
      remediation,
      retryable: v.retryable === true,
      notes,
    };
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.trim() === '' ? 'an empty string' : `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'nothing';
  return `${typeof v} ${String(v)}`;
}

/**
 * Validate one parsed catalog file. `fallbackId` names the catalog when the file has no "id"
 * (a user catalog's file name); `userPath` marks every entry as coming from a user catalog.
 */
export function validateCatalog(
  value: unknown,
  opts: { fallbackId: string; userPath?: string },
): { ok: true; catalog: ValidatedCatalog } | { ok: false; issues: ValidationIssue[] } {
  const user = opts.userPath !== undefined;
  const rootKeys = [
    '$schema',
    'schemaVersion',
    'id',
    'family',
    'familyName',
    'version',
    'sourcesDate',
    'defaultOrigin',
    'sources',
    'docUrl',
    'intro',
    'entries',
  ];
  const pre = new Checker('user', undefined);
  if (!pre.object(value, [], rootKeys, ['schemaVersion', 'entries'])) return { ok: false, issues: pre.issues };
  const root = value;
  if (has(root, 'schemaVersion') && root.schemaVersion !== 1) {
    pre.fail(['schemaVersion'], `schemaVersion must be 1 (the only version this ges-err reads), found ${describe(root.schemaVersion)}`);
  }
  let defaultOrigin: Origin = user ? 'user' : 'official';
  if (has(root, 'defaultOrigin')) {
    if (ORIGINS.includes(root.defaultOrigin as Origin)) defaultOrigin = root.defaultOrigin as Origin;
    else pre.fail(['defaultOrigin'], `defaultOrigin must be one of ${ORIGINS.join(', ')}, found ${describe(root.defaultOrigin)}`);
  }
  let sourceIds: Set<string> | undefined;
  const sources: CatalogInfo['sources'] = [];
  if (has(root, 'sources')) {
    if (!Array.isArray(root.sources)) pre.fail(['sources'], `expected an array, found ${describe(root.sources)}`);
    else {
      sourceIds = new Set();
      root.sources.forEach((s, i) => {
        const p: PathSegment[] = ['sources', i];
        if (!pre.object(s, p, ['id', 'title', 'url', 'lang', 'note'], ['id', 'title'])) return;
        if (!pre.string(s.id, [...p, 'id']) || !pre.string(s.title, [...p, 'title'])) return;
        if (sourceIds!.has(s.id)) pre.fail([...p, 'id'], `duplicate source id ${JSON.stringify(s.id)}`);
        sourceIds!.add(s.id);
        if (has(s, 'url')) pre.url(s.url, [...p, 'url']);
        if (has(s, 'lang') && !LANGS.includes(s.lang as Lang)) pre.fail([...p, 'lang'], 'lang must be "en" or "zh"');
        if (has(s, 'note')) pre.string(s.note, [...p, 'note']);
        sources.push(s as unknown as CatalogInfo['sources'][number]);
      });
    }
  }
  const c = new Checker(defaultOrigin, sourceIds);
  c.issues = pre.issues;

  for (const k of ['id', 'family'] as const) {
    if (has(root, k) && c.string(root[k], [k]) && !ID_PATTERN.test(root[k] as string)) {
      c.fail([k], `${k} must be lower-case letters, digits, '.', '_' or '-', found ${JSON.stringify(root[k])}`);
    }
  }
  for (const k of ['version', 'sourcesDate'] as const) if (has(root, k)) c.string(root[k], [k]);
  const familyName = { en: user ? 'User catalog' : 'Catalog', zh: user ? '用户目录' : '目录' };
  if (has(root, 'familyName') && c.object(root.familyName, ['familyName'], LANGS)) {
    const fn = root.familyName as Obj;
    for (const lang of LANGS) if (has(fn, lang) && c.string(fn[lang], ['familyName', lang])) familyName[lang] = fn[lang] as string;
  }
  const fileDocUrl = has(root, 'docUrl') ? c.docUrl(root.docUrl, ['docUrl']) : {};
  const intro = has(root, 'intro') ? c.bilingualText(root.intro, ['intro'], true) : {};

  const info: CatalogInfo = {
    id: typeof root.id === 'string' ? root.id : opts.fallbackId,
    family: typeof root.family === 'string' ? root.family : 'user',
    familyName,
    sources,
    intro,
  };
  if (typeof root.version === 'string') info.version = root.version;
  if (typeof root.sourcesDate === 'string') info.sourcesDate = root.sourcesDate;
  if (opts.userPath !== undefined) info.userPath = opts.userPath;

  const entries: CatalogEntry[] = [];
  if (!Array.isArray(root.entries)) {
    if (has(root, 'entries')) c.fail(['entries'], `expected an array of entries, found ${describe(root.entries)}`);
  } else {
    const seen = new Map<string, number>();
    root.entries.forEach((e, i) => {
      const p: PathSegment[] = ['entries', i];
      if (!c.object(e, p, ['code', 'docUrl', 'notes', 'variants'], ['code', 'variants'])) return;
      if (!c.string(e.code, [...p, 'code'])) return;
      const code = e.code as string;
      if (!CODE_PATTERN.test(code)) {
        c.fail([...p, 'code'], `code must look like FAMILY.1234 (letters, a dot, digits), found ${JSON.stringify(code)}`);
        return;
      }
      const key = code.toUpperCase();
      const first = seen.get(key);
      if (first !== undefined) {
        c.fail([...p, 'code'], `duplicate code ${code} (first defined in entries[${first}])`);
        return;
      }
      seen.set(key, i);
      if (!Array.isArray(e.variants) || e.variants.length === 0) {
        c.fail([...p, 'variants'], `expected a non-empty array of variants, found ${describe(e.variants)}`);
        return;
      }
      const variants: Variant[] = [];
      e.variants.forEach((v, j) => {
        const vv = c.variant(v, [...p, 'variants', j]);
        if (vv) variants.push(vv);
      });
      const docUrl = { ...fileDocUrl, ...(has(e, 'docUrl') ? c.docUrl(e.docUrl, [...p, 'docUrl']) : {}) };
      const notes = has(e, 'notes') ? c.notes(e.notes, [...p, 'notes']) : [];
      entries.push({ code, catalog: info, docUrl, notes, variants });
    });
  }
  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  return { ok: true, catalog: { info, entries } };
}
