// Writes three heap snapshots of one process — baseline, target, final —
// into the directory given as the first argument, growing holders between
// them without allocating new objects for what they hold:
//   - a listener array: every "request" registers the same, shared handler
//     on a long-lived server (no new closure per request);
//   - a Map from small integers to small integers (no heap object per
//     entry: only its table grows);
//   - an array of small integers.
// With a second argument "quiet", nothing grows (a control run).
'use strict';
const http = require('http');
const v8 = require('v8');
const path = require('path');

const server = http.createServer();
server.setMaxListeners(0);
function onUpgrade() {}

const hits = new Map();
const samples = [];
let next = 0;

function handleRequest() {
  server.on('upgrade', onUpgrade);
  hits.set(next, next & 0xff);
  samples.push(next & 0xff);
  next++;
}

const dir = process.argv[2];
const grow = process.argv[3] !== 'quiet';
// Each step runs from a timer, as a server's work does, so that the
// snapshot is not taken while the module's code is on the stack.
const steps = [['baseline', 40], ['target', 2000], ['final', 2000]];
function step(i) {
  const [name, requests] = steps[i];
  if (grow) for (let k = 0; k < requests; k++) handleRequest();
  v8.writeHeapSnapshot(path.join(dir, name + '.heapsnapshot'));
  if (i + 1 < steps.length) setTimeout(step, 1, i + 1);
}
setTimeout(step, 1, 0);
