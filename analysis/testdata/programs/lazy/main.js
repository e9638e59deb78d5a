// Writes three heap snapshots of one process into the directory given as
// the first argument, requiring a module between them:
//   - baseline: before ./tasks.js is loaded;
//   - target: right after, while this file's code runs;
//   - final: from a timer of ./tasks.js, when nothing of this file is alive
//     any more and V8 has collected its Script.
// So the program scripts of the baseline and the final snapshot share
// nothing ([main.js] and [tasks.js]), as those of two programs would.
'use strict';
const path = require('path');
const v8 = require('v8');

const dir = process.argv[2];
v8.writeHeapSnapshot(path.join(dir, 'baseline.heapsnapshot'));
setTimeout(function load() {
  const tasks = require('./tasks.js');
  tasks.snapshot(path.join(dir, 'target.heapsnapshot'));
  tasks.later(path.join(dir, 'final.heapsnapshot'));
}, 1);
