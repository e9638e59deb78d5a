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
function work(n) {
  if (grow) for (let i = 0; i < n; i++) handleRequest();
}
work(40);
v8.writeHeapSnapshot(path.join(dir, 'baseline.heapsnapshot'));
work(2000);
v8.writeHeapSnapshot(path.join(dir, 'target.heapsnapshot'));
work(2000);
v8.writeHeapSnapshot(path.join(dir, 'final.heapsnapshot'));
