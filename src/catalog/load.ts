// Builds the Catalog the program reads: the bundled tables plus any user catalogs, validated,
// merged (user entries win) and indexed by code, by number and by family. Reading files is the
// caller's business (readUserCatalog does it for the CLI); everything else here is pure.

import { validateCatalog, type ValidatedCatalog, type ValidationIssue } from './validate.js';
import { positionOf, scanJson } from './json-locate.js';
import { memoryPart, type CatalogPart } from './pack.js';
import { foldNeedle } from './searchtext.js';
import type { CatalogEntry, CatalogInfo, EntryHead } from './types.js';
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
  /** Entries a parsed code names (see findByCode), without building the whole catalog. */
  find(code: CodeQuery): CatalogEntry[];
  /**
   * The effective entries' codes, catalogs and variants' status and message, in `entries` order:
   * enough for listing and filtering, and much cheaper than `entries` when nothing else is needed.
   */
  heads: EntryHead[];
  /**
   * The effective entries, in `entries` order, whose text may contain every one of `needles`: all
   * that do, and maybe a few more (see searchtext.ts for the folding both sides get). Undefined when
   * a needle cannot be prefiltered; the caller then matches `entries`. Much cheaper than `entries`
   * on a large catalog: only candidates are parsed.
   */
  candidates(needles: readonly string[]): CatalogEntry[] | undefined;
  /** The effective entries' codes, in `entries` order, read from the parts' code lists (no entry is parsed). */
  codes: string[];
  /** entries[i], parsing only that entry. */
  entryAt(i: number): CatalogEntry | undefined;
  /** The effective entry of a code (in any case), parsing only that entry; undefined for none. */
  entryFor(code: string): CatalogEntry | undefined;
  /**
   * The parts' code-list digests (see codesDigest in pack.ts): catalogs with equal digests have
   * equal `codes`. Read from the packs' headers, so comparing it reads no code list.
   */
  codesDigest: string;
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

/**
 * The catalog over its parts (bundled tables first, then user catalogs in precedence order): a later
 * part's entry replaces an earlier one of the same code and records what it overrides. Every field
 * is computed on first use, so a lookup reads one entry per part instead of all of them.
 */
class LazyCatalog implements Catalog {
  readonly catalogs: CatalogInfo[];
  private readonly effective = new Map<string, CatalogEntry>();
  private cache: { order?: { key: string; where: [number, number][] }[]; codes?: string[]; entries?: CatalogEntry[]; heads?: EntryHead[]; byCode?: Map<string, CatalogEntry>; byNumber?: Map<string, CatalogEntry[]>; families?: FamilySummary[]; prefixes?: Set<string> } = {};

  constructor(private readonly parts: readonly CatalogPart[]) {
    this.catalogs = parts.map((p) => p.info);
  }

  /** The entry that wins for `key`, given where it appears (part index, entry index), first to last. */
  private resolve(key: string, where: readonly [number, number][]): CatalogEntry {
    let e = this.effective.get(key);
    if (e) return e;
    const [lp, li] = where[where.length - 1]!;
    e = this.parts[lp]!.entry(li);
    if (where.length > 1) e = { ...e, overrides: this.parts[where[0]![0]]!.info };
    this.effective.set(key, e);
    return e;
  }

  private locate(key: string): [number, number][] {
    const where: [number, number][] = [];
    this.parts.forEach((p, pi) => {
      const i = p.find(key);
      if (i >= 0) where.push([pi, i]);
    });
    return where;
  }

  entryFor(code: string): CatalogEntry | undefined {
    const key = code.toUpperCase();
    if (this.cache.byCode) return this.cache.byCode.get(key);
    const where = this.locate(key);
    return where.length ? this.resolve(key, where) : undefined;
  }

  get codesDigest(): string {
    return this.parts.map((p) => p.codesDigest).join(' ');
  }

  find(code: CodeQuery): CatalogEntry[] {
    if (this.cache.byCode) return findIn(this, code);
    if (code.prefix !== null) {
      const where = this.locate(code.canonical);
      return where.length ? [this.resolve(code.canonical, where)] : [];
    }
    // A bare number: every family's entry with it, in catalog order (first appearance of each code).
    const keys: string[] = [];
    for (const p of this.parts) {
      for (const i of p.findNumber(code.number)) {
        const key = p.entry(i).code.toUpperCase();
        if (!keys.includes(key)) keys.push(key);
      }
    }
    return keys.map((k) => this.resolve(k, this.locate(k)));
  }

  get entries(): CatalogEntry[] {
    if (!this.cache.entries) {
      const where = new Map<string, [number, number][]>();
      const order: string[] = [];
      this.parts.forEach((p, pi) => {
        p.all().forEach((e, i) => {
          const key = e.code.toUpperCase();
          const w = where.get(key);
          if (w) w.push([pi, i]);
          else {
            where.set(key, [[pi, i]]);
            order.push(key);
          }
        });
      });
      this.cache.entries = order.map((k) => this.resolve(k, where.get(k)!));
    }
    return this.cache.entries;
  }

  candidates(needles: readonly string[]): CatalogEntry[] | undefined {
    const folded: string[] = [];
    for (const n of needles) {
      const f = foldNeedle(n);
      if (f === undefined) return undefined;
      folded.push(f);
    }
    const found: { first: [number, number]; entry: CatalogEntry }[] = [];
    const seen = new Set<string>();
    const parts = this.parts;
    // Index loops and no closures: this runs for each of a few hundred candidates, in code that runs
    // once and is never optimized, where each step of a for-of and each closure allocates.
    for (let pi = 0; pi < parts.length; pi++) {
      const matches = parts[pi]!.matching(folded);
      for (let m = 0; m < matches.length; m++) {
        const { index, key } = matches[m]!;
        if (seen.has(key)) continue;
        // An entry a later catalog overrides is not a result; the winner is, if its own text matches.
        let overridden = false;
        for (let qi = pi + 1; qi < parts.length && !overridden; qi++) overridden = parts[qi]!.find(key) >= 0;
        if (overridden) continue;
        const where: [number, number][] = [];
        for (let qi = 0; qi < pi; qi++) {
          const i = parts[qi]!.find(key);
          if (i >= 0) where.push([qi, i]);
        }
        where.push([pi, index]);
        seen.add(key);
        found.push({ first: where[0]!, entry: this.resolve(key, where) });
      }
    }
    found.sort((a, b) => a.first[0] - b.first[0] || a.first[1] - b.first[1]);
    return found.map((f) => f.entry);
  }

  /** For each effective code, in entries order: its key and where it appears (part, index), first to last. */
  private order(): { key: string; where: [number, number][] }[] {
    if (!this.cache.order) {
      const byKey = new Map<string, { key: string; where: [number, number][] }>();
      this.parts.forEach((p, pi) => {
        p.codes().forEach(({ code }, i) => {
          const key = code.toUpperCase();
          const o = byKey.get(key);
          if (o) o.where.push([pi, i]);
          else byKey.set(key, { key, where: [[pi, i]] });
        });
      });
      this.cache.order = [...byKey.values()];
    }
    return this.cache.order;
  }

  get codes(): string[] {
    if (this.cache.entries) return this.cache.entries.map((e) => e.code);
    return (this.cache.codes ??= this.order().map(({ where }) => {
      const [pi, i] = where[where.length - 1]!;
      return this.parts[pi]!.codes()[i]!.code;
    }));
  }

  entryAt(i: number): CatalogEntry | undefined {
    if (this.cache.entries) return this.cache.entries[i];
    const o = this.order()[i];
    return o && this.resolve(o.key, o.where);
  }

  get heads(): EntryHead[] {
    if (this.cache.entries) return this.cache.entries;
    if (!this.cache.heads) {
      // The same merge as `entries`: first appearance fixes the place, the last catalog wins.
      const winner = new Map<string, EntryHead>();
      for (const p of this.parts) for (const h of p.heads()) winner.set(h.code.toUpperCase(), h);
      this.cache.heads = [...winner.values()];
    }
    return this.cache.heads;
  }

  get byCode(): Map<string, CatalogEntry> {
    return (this.cache.byCode ??= new Map(this.entries.map((e) => [e.code.toUpperCase(), e])));
  }

  get byNumber(): Map<string, CatalogEntry[]> {
    if (!this.cache.byNumber) {
      const byNumber = new Map<string, CatalogEntry[]>();
      for (const e of this.entries) {
        const n = e.code.slice(e.code.indexOf('.') + 1);
        const list = byNumber.get(n);
        if (list) list.push(e);
        else byNumber.set(n, [e]);
      }
      this.cache.byNumber = byNumber;
    }
    return this.cache.byNumber;
  }

  get prefixes(): Set<string> {
    return (this.cache.prefixes ??= new Set(this.parts.flatMap((p) => p.prefixes)));
  }

  /** Codes and variant counts per family, from the parts' code lists: no entry is parsed. */
  get families(): FamilySummary[] {
    if (!this.cache.families) {
      const winner = new Map<string, { part: number; variants: number; prefix: string }>();
      this.parts.forEach((p, pi) => {
        for (const { code, variants } of p.codes()) {
          const key = code.toUpperCase();
          winner.set(key, { part: pi, variants, prefix: key.slice(0, key.indexOf('.')) });
        }
      });
      const familyMap = new Map<string, FamilySummary>();
      for (const { part, variants, prefix } of winner.values()) {
        const info = this.parts[part]!.info;
        let fam = familyMap.get(info.family);
        if (!fam) {
          fam = { family: info.family, familyName: info.familyName, codes: 0, variants: 0, prefixes: [], catalogs: [] };
          familyMap.set(info.family, fam);
        }
        fam.codes++;
        fam.variants += variants;
        if (!fam.prefixes.includes(prefix)) fam.prefixes.push(prefix);
        if (!fam.catalogs.includes(info)) fam.catalogs.push(info);
      }
      this.cache.families = [...familyMap.values()];
    }
    return this.cache.families;
  }
}

function findIn(catalog: Catalog, code: CodeQuery): CatalogEntry[] {
  if (code.prefix === null) return catalog.byNumber.get(code.number) ?? [];
  const e = catalog.byCode.get(code.canonical);
  return e ? [e] : [];
}

/** The catalog over validated catalogs (in memory) and/or parts (packs), bundled first. */
export function buildCatalog(parts: readonly (ValidatedCatalog | CatalogPart)[]): Catalog {
  return new LazyCatalog(parts.map((p) => ('find' in p ? p : memoryPart(p))));
}

/** Entries a parsed code names: one for "GES.7018", every family's for a bare "7018". */
export function findByCode(catalog: Catalog, code: CodeQuery): CatalogEntry[] {
  return catalog.find(code);
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
