// The CLI is built as several bundles (scripts/build.mjs): the full one and partial ones that each
// hold only the code of one kind of run (a lookup, a search of the bundled catalog, a search with
// user catalogs, a listing, a free-text query, a diagnosis of a response piped or pasted in), so that
// those runs load and deserialize less.
// bin/ges-err.cjs guesses the bundle from the arguments; a partial bundle that gets a run it has no
// code for declines it before writing anything, and the loader runs the full bundle instead. A wrong
// guess costs time, never a different result.

declare global {
  /**
   * The bundle being built. esbuild replaces it by a string literal, so a test such as
   * `__GES_ERR_BUNDLE__ === 'full'` is decided at build time and the imports behind a false one are
   * left out of that bundle. The library build and the tests (vitest.config.ts) define it as 'full'.
   */
  const __GES_ERR_BUNDLE__: 'full' | 'lookup' | 'search' | 'user-search' | 'list' | 'text' | 'diagnose';
}

/** What a partial bundle's run() returns for a run it declines. The full bundle never returns it. */
export const DECLINED = -1;
