// A program that leaks session objects into a module-level Map (the
// declaration on line 7 holds them) and writes baseline, target and final
// heap snapshots next to itself, each renamed into place once complete.
const v8 = require('v8');
const fs = require('fs');
const path = require('path');
const sessions = new Map();
function handle(id) { sessions.set(id, { id, body: 'x'.repeat(64) }); }
function snap(name) {
  const tmp = path.join(__dirname, name + '.tmp');
  v8.writeHeapSnapshot(tmp);
  fs.renameSync(tmp, path.join(__dirname, name + '.heapsnapshot'));
}
let n = 0;
for (; n < 100; n++) handle(n);
snap('baseline');
for (; n < 3100; n++) handle(n);
snap('target');
for (; n < 6100; n++) handle(n);
snap('final');
