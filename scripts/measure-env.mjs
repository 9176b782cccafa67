// What the measuring scripts share (bench.mjs, instructions.mjs): the environment their child runs
// get, and the median and quartiles they report.

import path from 'node:path';

/**
 * The environment of a measured run: the caller's, less what would change what is measured (extra
 * CA certificates cost every Node start tens of ms; NODE_OPTIONS could preload anything; colour and
 * user catalogs change the work done), with caches in `cacheDir` (XDG_CACHE_HOME/ges-err there).
 */
export function measuredEnv(cacheDir) {
  const env = { ...process.env };
  for (const k of ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'FORCE_COLOR', 'GES_ERR_CATALOG', 'GES_ERR_DEBUG', 'NO_COLOR']) delete env[k];
  env.XDG_CACHE_HOME = path.resolve(cacheDir);
  return env;
}

/** The q-quantile of `xs` (0 ≤ q ≤ 1), interpolated between the two values around it. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}

/** The median: of an even count, the mean of the two middle values. */
export const median = (xs) => quantile(xs, 0.5);
