// Runs a fixture app between heap snapshots: node --expose-gc harness.cjs
// OUTDIR ENTRY. ENTRY exports work(i), called once per simulated request.
// The snapshots are taken before the requests (baseline), after them
// (target) and after one more collection (final); then the process exits,
// which also ends the intervals the app leaks.
'use strict';
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const v8 = require('node:v8');

const requests = 20;

function snapshot(out, name) {
  globalThis.gc();
  v8.writeHeapSnapshot(path.join(out, name + '.heapsnapshot'));
}

async function main() {
  const [out, entry] = process.argv.slice(2).map((p) => path.resolve(p));
  const app = entry.endsWith('.mjs') ? await import(pathToFileURL(entry).href) : require(entry);
  snapshot(out, 'baseline');
  for (let i = 0; i < requests; i++) app.work(i);
  snapshot(out, 'target');
  snapshot(out, 'final');
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
