// A program that leaks session objects into a module-level Map (declared
// on line 7, filled by the sessions.set() on line 10) and writes baseline, target and final
// heap snapshots into $SNAPSHOT_DIR (default: next to itself). All three
// are written under temporary names and renamed into place together at the
// end, so that a watcher sees one complete set at once.
const v8 = require('v8');
const sessions = new Map();
const fs = require('fs');
const path = require('path');
function handle(id) { sessions.set(id, { id, body: 'x'.repeat(64) }); }
const dir = process.env.SNAPSHOT_DIR || __dirname;
const written = [];
function snap(name) {
  const tmp = path.join(dir, name + '.tmp');
  v8.writeHeapSnapshot(tmp);
  written.push([tmp, path.join(dir, name + '.heapsnapshot')]);
}
// The snapshots are taken once the module's top-level code has returned, as
// they are of a running server: while top-level code runs, its stack frame
// holds the module's variables directly and hides which one retains what.
setImmediate(() => {
  let n = 0;
  for (; n < 100; n++) handle(n);
  snap('baseline');
  for (; n < 3100; n++) handle(n);
  snap('target');
  for (; n < 6100; n++) handle(n);
  snap('final');
  for (const [tmp, final] of written) fs.renameSync(tmp, final);
});
