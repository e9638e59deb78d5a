// Fills a module-level Map until the heap is exhausted. Run with a small
// heap and --heapsnapshot-near-heap-limit=1: V8 writes one snapshot just
// before the process dies, whose top holder is sessions.
'use strict';
const sessions = new Map();

let next = 0;
function handleRequest() {
  sessions.set(next, { id: next, user: 'user-' + next, body: 'x'.repeat(200) + next });
  next++;
}

function serve() {
  for (let i = 0; i < 10000; i++) handleRequest();
  setImmediate(serve);
}
serve();
