// Builds the Catalog the program reads: the bundled tables plus any user catalogs, validated,
// merged (user entries win) and indexed by code, by number and by family. Reading files is the
// caller's business (readUserCatalog does it for the CLI); everything else here is pure.

import { validateCatalog, type ValidatedCatalog, type ValidationIssue } from './validate.js';
import { positionOf, scanJson } from './json-locate.js';
import type { CatalogEntry, CatalogInfo } from './types.js';
import type { CodeQuery } from '../code.js';

export interface FamilySummary {
  family: string;
  familyName: { en: string; zh: string };
  codes: number;
  variants: number;
  /** Upper-case code prefixes used in the family ("GES", "APIGW"). */
  prefixes: string[];
  catalogs: CatalogInfo[];
}

export interface Catalog {
  /** Effective entries (after user overrides), sorted by family order then code. */
  entries: CatalogEntry[];
  byCode: Map<string, CatalogEntry>;
  byNumber: Map<string, CatalogEntry[]>;
  families: FamilySummary[];
  catalogs: CatalogInfo[];
  /** Upper-case prefixes of every code in the catalog. */
  prefixes: Set<string>;
}

export class CatalogError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
  /** "FILE:LINE:COL: reason", the form editors and CI annotate. */
  get formatted(): string {
    return `${this.file}:${this.line}:${this.col}: ${this.message}`;
  }
}

export function buildCatalog(parts: readonly ValidatedCatalog[]): Catalog {
  const byCode = new Map<string, CatalogEntry>();
  const order: string[] = [];
  for (const part of parts) {
    for (const entry of part.entries) {
      const key = entry.code.toUpperCase();
      const previous = byCode.get(key);
      if (previous) byCode.set(key, { ...entry, overrides: previous.overrides ?? previous.catalog });
      else {
        byCode.set(key, entry);
        order.push(key);
      }
    }
  }
  const entries = order.map((k) => byCode.get(k)!);
  const byNumber = new Map<string, CatalogEntry[]>();
  const familyMap = new Map<string, FamilySummary>();
  const prefixes = new Set<string>();
  for (const e of entries) {
    const [prefix, number] = e.code.toUpperCase().split('.') as [string, string];
    prefixes.add(prefix);
    const list = byNumber.get(number);
    if (list) list.push(e);
    else byNumber.set(number, [e]);
    let fam = familyMap.get(e.catalog.family);
    if (!fam) {
      fam = { family: e.catalog.family, familyName: e.catalog.familyName, codes: 0, variants: 0, prefixes: [], catalogs: [] };
      familyMap.set(e.catalog.family, fam);
    }
    fam.codes++;
    fam.variants += e.variants.length;
    if (!fam.prefixes.includes(prefix)) fam.prefixes.push(prefix);
    if (!fam.catalogs.includes(e.catalog)) fam.catalogs.push(e.catalog);
  }
  return {
    entries,
    byCode,
    byNumber,
    families: [...familyMap.values()],
    catalogs: parts.map((p) => p.info),
    prefixes,
  };
}

/** Entries a parsed code names: one for "GES.7018", every family's for a bare "7018". */
export function findByCode(catalog: Catalog, code: CodeQuery): CatalogEntry[] {
  if (code.prefix === null) return catalog.byNumber.get(code.number) ?? [];
  const e = catalog.byCode.get(code.canonical);
  return e ? [e] : [];
}

const MAX_CATALOG_BYTES = 256 * 1024 * 1024;

/**
 * Parse and validate the text of a user catalog. Throws CatalogError with the position of the first
 * problem; nothing is returned half-loaded.
 */
export function parseUserCatalog(text: string, file: string): ValidatedCatalog {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const scan = scanJson(body);
    const at = scan.error ? positionOf(body, scan.error.offset) : { line: 1, col: 1 };
    throw new CatalogError(`invalid JSON: ${scan.error?.reason ?? 'cannot be parsed'}`, file, at.line, at.col);
  }
  const base = file.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  const fallbackId = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'user';
  const r = validateCatalog(value, { fallbackId, userPath: file });
  if (!r.ok) throw issueError(body, file, r.issues[0]!, r.issues.length);
  return r.catalog;
}

function issueError(text: string, file: string, issue: ValidationIssue, count: number): CatalogError {
  // Point at the offending value; for a missing property, at the object that lacks it.
  const scan = scanJson(text, issue.path);
  const offset = issue.atKey ? (scan.keyFound ?? scan.found) : scan.found;
  const at = offset !== undefined ? positionOf(text, offset) : { line: 1, col: 1 };
  const where = issue.path.length ? ` (at ${formatPath(issue.path)})` : '';
  const more = count > 1 ? ` [${count - 1} more problem${count > 2 ? 's' : ''} after this one]` : '';
  return new CatalogError(`${issue.reason}${where}${more}`, file, at.line, at.col);
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? (i ? '.' : '') + p : `[${JSON.stringify(p)}]`)).join('');
}

export { MAX_CATALOG_BYTES };
