// Worker threads as diagnose's range helpers (split.ts). Loaded only when a file is big enough to
// split: starting Node's worker machinery costs every other run nothing.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ScanPart } from './scanner.js';
import type { RangeHelpers } from './split.js';

/** More threads than this gain little: reading the file becomes the limit. */
const MAX_HELPERS = 7;

/** Helpers running `script` (the built src/diagnose/worker.ts) on one worker thread per range. */
export function workerHelpers(script: string): RangeHelpers {
  return {
    count: Math.min(MAX_HELPERS, availableParallelism() - 1),
    scan: (job) =>
      new Promise<ScanPart>((resolve, reject) => {
        const worker = new Worker(script, { workerData: job, stdout: true, stderr: true });
        worker.once('message', resolve);
        worker.once('error', reject);
        // After the message this settles nothing; without one it is a failure.
        worker.once('exit', (code) => reject(new Error(`the scan worker ended (${code}) without a result`)));
      }),
  };
}
