// Types for scripts/gen-log.mjs, so the TypeScript tests can import the generator.

export interface CodeManifest {
  count: number;
  firstLine: number;
  lastLine: number;
}

export interface LogManifest {
  lines: number;
  bytes: number;
  /** Per code, most frequent first. */
  codes: Record<string, CodeManifest>;
}

export const CODES: readonly { code: string; status: number; msg: string; weight: number }[];

export function generateLog(opts: { size?: number; lines?: number; seed?: number; errorEvery?: number; write: (chunk: string) => void }): LogManifest;
