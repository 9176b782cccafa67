// A helper thread of diagnose (dist/scan-worker.cjs): scans the range of a file it is given and
// posts back what it found. See split.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { scanRange, type RangeJob } from './split.js';

parentPort!.postMessage(scanRange(workerData as RangeJob));
