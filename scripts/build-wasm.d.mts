// Types of build-wasm.mjs, for the test that checks the committed module is up to date.

/** The text of src/diagnose/finder-wasm.ts for the given finder.wat source. */
export function finderModuleSource(watText: string): Promise<string>;
