#!/usr/bin/env node
'use strict';
// The compiled CLI lives in build/ (written by `npm run build:node`, which `npm ci` runs through `prepare`).
try {
  require('../build/src/cli/main.js').run();
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('build/src/cli/main.js')) {
    process.stderr.write('who-can-federate: not built yet; run "npm run build:node" (or "npm ci") first.\n');
    process.exitCode = 1;
  } else {
    throw error;
  }
}
