#!/usr/bin/env node
'use strict';
// Shim: everything lives in the bundle that `npm run build` (run by `npm install`) writes.
try {
  require('../dist/ges-err.cjs');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('ges-err.cjs')) {
    process.stderr.write("ges-err: not built yet; run 'npm install' or 'npm run build' in the ges-err folder\n");
    process.exitCode = 2;
  } else throw e;
}
