// Counts stock (see warehouse.js). One of two programs that
// differ in their code but not in its length or shape: under node
// --predictable, their heap snapshots give the same ids to the same kinds of
// objects, so that only their scripts tell them apart.
// Writes baseline, target and final snapshots into the directory given as
// the first argument.
'use strict';
const v8 = require('v8');

const stockItems = [];
for (const stockStep of ['baseline', 'target', 'final']) {
  stockItems.push({ skuNumber: stockItems.length });
  v8.writeHeapSnapshot(process.argv[2] + '/' + stockStep + '.heapsnapshot');
}
