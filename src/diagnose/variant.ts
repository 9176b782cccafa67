// Picks which variant of a multi-variant code a diagnosed error is: the observed HTTP status first
// (APIGW.0201 is 400, 413, 414, 494, 502 or 504), then how closely the server's message matches
// each variant's (APIGW.0101 has two variants with the same status and different messages).

import type { CatalogEntry, Variant } from '../catalog/types.js';
import type { ObservedRecord } from './extract.js';

function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

/** 0..2: 1 + (share of the message) when the variant's message appears whole in the observed one, else word overlap below 1. */
export function messageScore(observed: string, variant: Variant): number {
  const obs = words(observed).join(' ');
  if (obs === '') return 0;
  let best = 0;
  for (const text of [variant.message.en?.text, variant.message.zh?.text]) {
    if (!text) continue;
    const v = words(text).join(' ');
    if (v === '') continue;
    if (` ${obs} `.includes(` ${v} `)) {
      best = Math.max(best, 1 + v.length / Math.max(obs.length, v.length));
      continue;
    }
    const a = new Set(obs.split(' '));
    const b = new Set(v.split(' '));
    let common = 0;
    for (const x of b) if (a.has(x)) common++;
    best = Math.max(best, (0.99 * common) / (a.size + b.size - common));
  }
  return best;
}

/** Variant indexes, the one the observation points to first; undefined for a single-variant code. */
export function variantOrder(entry: CatalogEntry, observed: ObservedRecord): number[] | undefined {
  if (entry.variants.length < 2) return undefined;
  const scored = entry.variants.map((v, i) => ({
    i,
    status: observed.httpStatus !== null && v.httpStatus === observed.httpStatus ? 1 : 0,
    message: observed.message ? messageScore(observed.message, v) : 0,
  }));
  scored.sort((a, b) => b.status - a.status || b.message - a.message || a.i - b.i);
  return scored.map((x) => x.i);
}
