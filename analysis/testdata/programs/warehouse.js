// Stores boxes (see inventory.js). One of two programs that
// differ in their code but not in its length or shape: under node
// --predictable, their heap snapshots give the same ids to the same kinds of
// objects, so that only their scripts tell them apart.
// Writes baseline, target and final snapshots into the directory given as
// the first argument.
'use strict';
const v8 = require('v8');

const boxesShelf = [];
for (const shelfStep of ['baseline', 'target', 'final']) {
  boxesShelf.push({ boxWeight: boxesShelf.length });
  v8.writeHeapSnapshot(process.argv[2] + '/' + shelfStep + '.heapsnapshot');
}
